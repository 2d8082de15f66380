"""Small widgets shared by several screens: alert banner, date entry, inline field errors."""
