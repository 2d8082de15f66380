"""The patient: registration form, chart header with alerts, and the chart's tabs."""
