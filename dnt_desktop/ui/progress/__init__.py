"""The Progress tab: pain graph, outcome measures, referrer and letters."""
