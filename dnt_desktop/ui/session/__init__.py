"""The session editor window and its panes."""
