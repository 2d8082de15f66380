"""Engine, database location, migrations and backups. No Qt here."""
