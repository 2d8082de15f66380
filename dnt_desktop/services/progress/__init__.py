"""Progress of a course of care: pain trend, outcome measures, referrers and letters."""
