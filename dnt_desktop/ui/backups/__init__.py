"""The backup and restore dialog and the automatic daily and closing backups."""
