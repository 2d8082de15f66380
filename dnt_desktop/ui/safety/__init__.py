"""Safety surveillance windows: the Safety report and the lung-risk depth limits."""
