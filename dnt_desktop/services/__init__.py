"""Clinical rules and use cases (register, chart, sign, back up). No Qt here."""
