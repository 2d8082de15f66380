"""The register's search: what typed text means, and the Core statements that answer it.

A keystroke in the register costs one short read on one Core connection, with statements
built once per kind of search and compiled once by SQLAlchemy's cache:

* the lines of the first page (``first + 1`` rows). Most searches match fewer: that one
  statement is the whole search;
* only when more match: the ids of the first ``limit`` matches (rows beyond the first
  page are read a page at a time as they are shown, see ``register_lines``), and when the
  limit is reached, how many match in all.

Kinds of search: everything (no text), a date of birth (2001-04-30, 30.04.2001,
30/04/2001, 30-04-2001), one word (the start of the family name, given name or chart
number), or several words (each the start of the family or the given name).

One word's given-name alternative is sorted when it has fewer than ``SORT_AT_MOST``
matches, else walked in register order (``_walked``): a one-letter prefix costs about
the same at 500,000 patients as at 1,000, a rare one a small sort.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, TypeAlias

from sqlalchemy import (
    Date,
    Integer,
    Row,
    Select,
    String,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    union,
    union_all,
)
from sqlalchemy.exc import DBAPIError

from dnt_desktop.models import Patient
from dnt_desktop.storage.engine import Database, translate_error

from .field_limits import UNSTORABLE
from .names import search_key

Line: TypeAlias = Row[Any]
"""One register line: (id, chart number, family name, given name, date of birth, phone,
archived); index it, or use the column names."""

_PATIENT = Patient.__table__
_C = _PATIENT.c
_LINE_COLUMNS = (
    _C.id,
    _C.chart_number,
    _C.family_name,
    _C.given_name,
    _C.date_of_birth,
    _C.phone,
    _C.archived,
)
_ORDER = (_C.family_name_key, _C.given_name_key, _C.id)
"""Register order (the id makes it total, so that pages and statements agree)."""

# --- what the text means -------------------------------------------------------------

_DAY = r"(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])"
_MONTH = r"(1[0-2]|0[1-9]|[1-9])"
_YEAR = r"(\d\d\d\d)"
_DATE_PATTERNS = (
    (re.compile(rf"{_YEAR}-{_MONTH}-{_DAY}"), (0, 1, 2)),
    *(
        (re.compile(rf"{_DAY}{re.escape(sep)}{_MONTH}{re.escape(sep)}{_YEAR}"), (2, 1, 0))
        for sep in "./-"
    ),
)
"""``datetime.strptime``'s own patterns for %Y-%m-%d, %d.%m.%Y, %d/%m/%Y and %d-%m-%Y, in
that order, without its locale and cache overhead (the same texts are accepted)."""
_WORD_SPLIT = re.compile(r"[\s,]+")


def parse_date(text: str) -> date | None:
    """A date typed in a common format (2001-04-30, 30.04.2001, 30/04/2001), else None."""
    if not text[:1].isdigit() and not text.startswith(" "):
        return None  # every format starts with a digit (the day may be ' 5')
    for pattern, (year, month, day) in _DATE_PATTERNS:
        found = pattern.fullmatch(text)
        if found is not None:
            parts = found.groups()
            try:
                return date(int(parts[year]), int(parts[month]), int(parts[day]))
            except ValueError:
                continue
    return None


def _kind(text: str) -> tuple[tuple[object, ...], dict[str, Any]]:
    """The kind of search *text* asks for (a hashable key) and its parameters."""
    text = UNSTORABLE.sub("", text).strip()  # nothing stored holds them: they match nothing
    if not text:
        return ("all",), {}
    born = parse_date(text)
    if born is not None:
        return ("birth",), {"born": born}
    parts = _WORD_SPLIT.split(text)
    if len(parts) == 1:
        return ("word",), {
            "name": search_key(text),
            "chart": text.upper(),
            "sort_most": SORT_AT_MOST,
        }
    words = [search_key(part) for part in parts if part]
    if not words:  # only separators
        return ("all",), {}
    values: dict[str, Any] = {f"w{i}": word for i, word in enumerate(words)}
    if len(words) == 1:  # one word and a separator, e.g. 'smith,'
        values["chart"] = text.upper()
    return ("words", len(words)), values


# --- the statements ------------------------------------------------------------------


def _prefix(column: Any, prefix: Any) -> Any:
    # A range instead of LIKE so that SQLite and PostgreSQL both use the b-tree index.
    return and_(column >= prefix, column < prefix + "\uffff")


def _text(name: str) -> Any:
    return bindparam(name, type_=String())


_LIMIT = bindparam("limit", type_=Integer())
_SORT_MOST = bindparam("sort_most", type_=Integer())


@dataclass(frozen=True, slots=True)
class SearchStatements:
    """One kind of search: first lines, ids and count, each with parameter ``limit``."""

    lines: Select[Any]
    ids: Select[Any]
    count: Select[Any]


def _ordered(condition: Any, archived: list[Any]) -> SearchStatements:
    where = [condition, *archived] if condition is not None else archived
    return SearchStatements(
        lines=select(*_LINE_COLUMNS).where(*where).order_by(*_ORDER).limit(_LIMIT),
        ids=select(_C.id).where(*where).order_by(*_ORDER).limit(_LIMIT),
        count=select(func.count()).select_from(_PATIENT).where(*where),
    )


SORT_AT_MOST = 10_000
"""A given-name prefix with fewer matches than this is sorted; one with more is walked in
register order (see ``_walked``); passed as the parameter ``sort_most``."""


def _first(branch: Any, archived: list[Any]) -> Any:
    """The first ``limit`` rows of *branch* in register order (its matches sorted)."""
    return select(*_ORDER).where(branch, *archived).order_by(*_ORDER).limit(_LIMIT)


def how_many_capped(column: Any, prefix: Any, archived: list[Any]) -> Select[Any]:
    """How many rows' *column* starts with *prefix*, counted up to ``sort_most`` only
    (that many entries of the column's index, a millisecond at 10,000)."""
    capped = select(column).where(_prefix(column, prefix), *archived).limit(_SORT_MOST)
    return select(func.count()).select_from(capped.subquery())


def _walked(column: Any, prefix: Any, archived: list[Any]) -> Any:
    """The first ``limit`` rows whose *column* (the given name) starts with *prefix*.

    No index holds given names in register order, so sorting every match of a common
    prefix ('m': a fifth of the register, 100,000 rows at 500,000 patients) costs what
    the whole search may not (288 ms). Walking the family-name index, already in register
    order, finds the first ``limit`` of them after a few thousand rows; but for a rare
    prefix ('q', 'zy') it would walk the whole register, where the sort costs nothing.
    So the matches are first counted, up to ``sort_most``: fewer are sorted, more are
    walked (a prefix with ``sort_most`` matches in P rows has its first 500 within about
    500 * P / ``sort_most`` rows of the walk). Both give the first matches in register
    order: the same rows in the same order, whichever runs. The other one gets a limit of
    0, which neither SQLite nor PostgreSQL reads a row for (a WHERE term would be tested
    on every match).
    """
    many = how_many_capped(column, prefix, archived).cte("given_many")
    walk = select(many.c[0] >= _SORT_MOST).scalar_subquery()
    # ``|| ''``: the same value, but no index on it, so that SQLite walks the register's.
    walked = (
        select(*_ORDER)
        .where(_prefix(column.concat(""), prefix), *archived)
        .order_by(*_ORDER)
        .limit(case((walk, _LIMIT), else_=0))
        .subquery()
    )
    sorted_ = (
        select(*_ORDER)
        .where(_prefix(column, prefix), *archived)
        .order_by(*_ORDER)
        .limit(case((walk, 0), else_=_LIMIT))
        .subquery()
    )
    return union_all(select(*walked.c), select(*sorted_.c))


def _merged(
    branches: Sequence[Any], archived: list[Any], walked: Sequence[tuple[Any, Any]] = ()
) -> SearchStatements:
    """A union of each alternative's first ``limit`` rows in register order, re-sorted.

    The family-name index delivers its rows already in register order, so a common prefix
    ('mor': ~2,900 matches in 100,000) reads ``limit`` index entries per alternative
    instead of sorting every match; the alternatives in *walked* (column and prefix: the
    given name) are found by ``_walked``. Same rows, same order as one query with OR.
    """
    firsts = [_first(branch, archived).subquery() for branch in branches]
    firsts += [_walked(column, prefix, archived).subquery() for column, prefix in walked]
    branches = [*branches, *(_prefix(column, prefix) for column, prefix in walked)]
    merged = union(*(select(*first.c) for first in firsts)).subquery()
    order = (merged.c.family_name_key, merged.c.given_name_key, merged.c.id)
    return SearchStatements(
        lines=select(*_LINE_COLUMNS)
        .join_from(merged, _PATIENT, _C.id == merged.c.id)
        .order_by(*order)
        .limit(_LIMIT),
        ids=select(merged.c.id).order_by(*order).limit(_LIMIT),
        count=select(func.count()).select_from(_PATIENT).where(or_(*branches), *archived),
    )


@cache
def _statements(kind: tuple[object, ...], include_archived: bool) -> SearchStatements:
    """The statements of one kind of search (built once, then reused)."""
    archived = [] if include_archived else [_C.archived.is_(False)]
    if kind[0] == "all":
        return _ordered(None, archived)
    if kind[0] == "birth":
        return _ordered(_C.date_of_birth == bindparam("born", type_=Date()), archived)
    if kind[0] == "word":
        name = _text("name")
        branches = (_prefix(_C.family_name_key, name), _prefix(_C.chart_number, _text("chart")))
        return _merged(branches, archived, walked=[(_C.given_name_key, name)])
    count = int(kind[1])  # type: ignore[call-overload]
    words = [_text(f"w{i}") for i in range(count)]
    names = and_(
        *(or_(_prefix(_C.family_name_key, w), _prefix(_C.given_name_key, w)) for w in words)
    )
    condition = or_(names, _prefix(_C.chart_number, _text("chart"))) if count == 1 else names
    return _ordered(condition, archived)


def search_statements(
    text: str, include_archived: bool = False
) -> tuple[SearchStatements, dict[str, Any]]:
    """The statements answering *text* and their parameters (add ``limit``)."""
    kind, values = _kind(text)
    return _statements(kind, include_archived), values


@cache
def lines_statement() -> Select[Any]:
    """The lines of the patients in the parameter ``ids`` (built once)."""
    return select(*_LINE_COLUMNS).where(_C.id.in_(bindparam("ids", expanding=True)))


# --- running them --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegisterSearch:
    """What a register search found.

    ``ids``: the first matches in register order (at most the limit); ``total``: how many
    match in all, or, with ``more``, at least how many (a search that reaches the limit
    is not counted: counting every match of a one-letter prefix costs more than the
    search, at 500,000 patients 300 ms); ``first_lines``: the lines of ``ids[:first]``,
    in the same order.
    """

    ids: list[int]
    total: int
    first_lines: list[Line]
    more: bool = False


def search_register(
    db: Database,
    text: str,
    *,
    include_archived: bool = False,
    limit: int = 500,
    first: int = 100,
) -> RegisterSearch:
    """Search the register for *text* in one read (see the module's docstring)."""
    statements, values = search_statements(text, include_archived)
    first = min(first, limit)
    try:
        with db.engine.connect() as connection:
            lines = connection.execute(statements.lines, {**values, "limit": first + 1}).all()
            if len(lines) <= first:
                return RegisterSearch([line[0] for line in lines], len(lines), lines)
            rows = connection.execute(statements.ids, {**values, "limit": limit + 1}).all()
            ids = [row[0] for row in rows[:limit]]
            beyond = len(rows) > limit
            more = beyond and text.strip() != ""  # the whole register is still counted
            total = (
                int(connection.scalar(statements.count, values) or 0)
                if beyond and not more
                else len(ids)
            )
            lines = lines[:first]
            if [line[0] for line in lines] != ids[:first]:
                # A patient saved between the two statements (PostgreSQL reads each
                # statement afresh): read the first page again for the ids listed.
                found = _fetch_lines(connection, ids[:first])
                lines = [found[i] for i in ids[:first] if i in found]
            return RegisterSearch(ids, total, lines, more)
    except DBAPIError as exc:
        raise (translate_error(exc) or exc) from exc


def _fetch_lines(connection: Any, ids: Sequence[int]) -> dict[int, Line]:
    if not ids:
        return {}
    return {line[0]: line for line in connection.execute(lines_statement(), {"ids": list(ids)})}


def register_lines(db: Database, ids: Sequence[int]) -> dict[int, Line]:
    """The lines of the patients *ids* (a page of the register), by id."""
    if not ids:
        return {}
    try:
        with db.engine.connect() as connection:
            return _fetch_lines(connection, ids)
    except DBAPIError as exc:
        raise (translate_error(exc) or exc) from exc
