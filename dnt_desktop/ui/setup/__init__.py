"""Starting up: the first-run setup and choosing who is charting."""
