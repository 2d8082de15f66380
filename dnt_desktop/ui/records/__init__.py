"""Records you can trust in the GUI: signing in, the lock screen, signing and amendments,
unsigned-draft reminders and backups."""
