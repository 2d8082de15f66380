"""PySide6 windows, dialogs, widgets and Qt models: the only package that imports Qt."""
