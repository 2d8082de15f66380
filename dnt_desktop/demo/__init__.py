"""Demo data: a realistic, reproducible clinic for first looks, tests and benchmarks.

It sits above the services (it uses their rules, hashing and audit trail) and writes
rows in bulk, which no use case of the app does.
"""

from .content import FAMILY_NAMES, GIVEN_NAMES_F, GIVEN_NAMES_M
from .generator import DEMO_PASSWORD, DEMO_PASSWORD_NOTE, generate

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_PASSWORD_NOTE",
    "FAMILY_NAMES",
    "GIVEN_NAMES_F",
    "GIVEN_NAMES_M",
    "generate",
]
