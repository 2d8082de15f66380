"""The patient register: search as you type over a lazily fetched table."""
