"""Implementations of the longer `dnt-desktop` sub-commands (parser lives in cli.py)."""
