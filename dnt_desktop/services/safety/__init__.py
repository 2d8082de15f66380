"""Safety surveillance: late-reported events, the clinic's adverse-event rates beside the
published ones, and the lung-risk depth limits. Plain Python: no Qt."""
