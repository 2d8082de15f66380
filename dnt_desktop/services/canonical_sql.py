"""SQLite expressions that write a row's canonical JSON (``signing``'s form) in SQL.

``dnt-desktop check`` re-hashes every signed session. Building each session's canonical
JSON in Python from its rows costs ~100 us a session; SQLite's JSON functions build the
same text in C, and Python only hashes it. The expressions are generated from the field
tuples of ``signing`` and the columns' types, so they cannot drift from the Python form.

The SQL text is *only* trusted when it is the canonical text: a value of an unexpected
storage type or shape (text in a number column, a timestamp not written by the app, a
flag other than 0/1) makes the expression NULL, and the caller then hashes that record
the portable way (``signing.content_hash_of_row`` over typed rows). Floats go through
SQLite's ``round`` and its ``%!.15g`` JSON formatting; on the rare value where that
differs from Python's ``repr(round(x, 6))`` the hash differs and the caller falls back
too. So the fast path can cost time, never a wrong verdict: a SQL text that equals the
canonical text of the signed content is that content (every value in it decodes back to
itself), and anything else is checked again in Python.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Boolean, Float, Integer, String, Table

from dnt_desktop.models.base import UTCDateTime

STORED_TIMESTAMP = (
    "[1-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9] "
    "[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]"
)
"""How SQLAlchemy stores a timestamp on SQLite (``2026-11-20 14:15:00.000000``)."""


def field_sql(table: Table, name: str, alias: str) -> tuple[str, str | None]:
    """(JSON value expression, condition that the value is trustworthy, or None: always).

    Text and integer columns need no condition: SQLite writes what it holds as the JSON
    of what the typed column reads (a BLOB fails the statement, and the caller falls back).
    A flag must be 0 or 1, a timestamp exactly in the form the app stores. Floats need
    none (see below). The conditions run for every value of every signed session.
    """
    column = f"{alias}.{name}"
    kind = table.c[name].type
    if isinstance(kind, Boolean):
        value = f"json(CASE {column} WHEN 1 THEN 'true' WHEN 0 THEN 'false' END)"
        valid: str | None = f"{column} IN (0, 1)"
    elif isinstance(kind, UTCDateTime):
        value = f"replace({column}, ' ', 'T')"
        valid = f"typeof({column}) = 'text' AND {column} GLOB '{STORED_TIMESTAMP}'"
    elif isinstance(kind, Float):
        # round() formats and parses the number again; a value that already has at most
        # six decimals (what is typed, and the demo's) is written as it is, to 15 digits,
        # which is the same text. x * 1e6 is integral only for such a value, or for text
        # (text * 1e6 is 0): text is then written as the JSON string the typed column
        # reads too, so only real numbers are ever rounded and no condition is needed.
        micro = f"{column} * 1000000.0"
        value = (
            f"CASE WHEN {micro} = CAST({micro} AS INTEGER) THEN {column} "
            f"ELSE round({column}, 6) END"
        )
        valid = None
    elif isinstance(kind, Integer | String):  # Text and the enums (stored as values) too
        value, valid = column, None
    else:  # pragma: no cover - a new column type needs its own rule here
        raise TypeError(f"no canonical SQL for {table.name}.{name} ({kind!r})")
    return value, (f"({column} IS NULL OR {valid})" if valid else None)


def object_sql(table: Table, fields: Sequence[str], alias: str) -> tuple[str, str]:
    """(``json_object`` of *fields* with sorted keys, condition that all are trustworthy)."""
    values, valid = [], []
    for name in sorted(fields):
        value, ok = field_sql(table, name, alias)
        values.append(f"'{name}', {value}")
        if ok:
            valid.append(ok)
    return f"json_object({', '.join(values)})", " AND ".join(valid) or "1"


def own_object_sql(table: Table, fields: Sequence[str], alias: str) -> str:
    """The canonical JSON object of the row *alias* itself, NULL when it cannot be trusted."""
    value, valid = object_sql(table, fields, alias)
    return f"CASE WHEN {valid} THEN {value} END"


def own_object_sql_unless_default(
    table: Table, fields: Sequence[str], defaults: Mapping[str, str], alias: str
) -> str:
    """As ``own_object_sql``, leaving the fields of *defaults* (text columns: their
    default) out while every one of them holds its default (``signing``'s rule for
    fields added after records were signed)."""
    if not defaults:
        return own_object_sql(table, fields, alias)
    value, valid = object_sql(table, fields, alias)
    short, _ = object_sql(table, [name for name in fields if name not in defaults], alias)
    unset = " AND ".join(
        f"{alias}.{name} = '{default}'" for name, default in sorted(defaults.items())
    )
    return f"CASE WHEN {valid} THEN CASE WHEN {unset} THEN {short} ELSE {value} END END"


def list_sql(table: Table, fields: Sequence[str]) -> str:
    """An aggregate over rows ``c`` of *table*: their JSON list, NULL if any is doubtful.

    Used with ``GROUP BY c.session_id`` over the session_id index, so the rows of a
    session come in id order; a list the Python form orders otherwise (points by
    number) simply does not match when the two orders differ, and is checked again.
    """
    value, valid = object_sql(table, fields, "c")
    if valid == "1":
        return f"json_group_array({value})"
    return f"CASE WHEN max(NOT ({valid})) THEN NULL ELSE json_group_array({value}) END"
