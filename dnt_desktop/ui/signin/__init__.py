"""Signing in, the lock screen that covers every window, and password changes."""
