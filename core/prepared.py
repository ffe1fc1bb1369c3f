"""ORM queries compiled to SQL once, then run with each request's values: for hot read paths.

Django compiles a query set to SQL on every evaluation (resolving lookups, joins, quoting every
column), which on a small indexed read costs several times what the database does. A
``PreparedQuery`` is built from an ordinary ``values()`` query set whose changing values are
markers; the first call on a connection compiles it, finds the markers among the parameters,
and keeps the SQL text. Each later call only swaps in its own values, runs the SQL and applies
the field converters Django would (dates, decimals and booleans on SQLite).

Only the SQL text is kept, never a row: every call reads the current data. Use it where the
query's shape never changes between calls (a list's length is part of the shape: pass
``shape``).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Sequence
from itertools import count
from typing import Any, TypeVar

from django.db import connections
from django.db.models import QuerySet

_serial = count(1)
T = TypeVar("T")


class Marker:
    """Stand-ins for the values of one call, of the right kind for the lookup they go into."""

    def __init__(self) -> None:
        self.made: list[Any] = []

    def uuid(self) -> uuid.UUID:
        return self._made(uuid.UUID(int=(0x7E57 << 112) + next(_serial)))

    def int(self) -> int:
        return self._made(-1_000_000_000 - next(_serial))

    def text(self) -> str:
        return self._made(f"\x1fprepared-{next(_serial)}")

    def _made(self, value: T) -> T:
        self.made.append(value)
        return value


class _Compiled:
    def __init__(self, queryset: QuerySet[Any], markers: list[Any]) -> None:
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        self.sql = sql
        self.params = list(params)
        self.slots: list[tuple[int, bool]] = []  # (position in params, send a UUID as hex)
        for marker in markers:
            found = [i for i, p in enumerate(self.params) if p == marker or (isinstance(marker, uuid.UUID) and p == marker.hex)]
            if len(found) != 1:
                raise ValueError(f"Marker {marker!r} is in the compiled query {len(found)} times, not once.")
            self.slots.append((found[0], isinstance(marker, uuid.UUID) and isinstance(self.params[found[0]], str)))
        query = queryset.query
        self.names = [*query.extra_select, *query.values_select, *query.annotation_select]
        self.columns = len(self.names)
        self.compiler = compiler
        self.converters = compiler.get_converters([s[0] for s in compiler.select[: self.columns]])

    def run(self, values: Sequence[Any], suffix: str = "", extra: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        params = list(self.params)
        for (position, as_hex), value in zip(self.slots, values, strict=True):
            if isinstance(value, uuid.UUID) or as_hex:
                value = value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
                value = value.hex if as_hex else value
            params[position] = value
        with self.compiler.connection.cursor() as cursor:
            cursor.execute(self.sql + suffix, [*params, *extra])
            rows: list[tuple[Any, ...]] = cursor.fetchall()
        if self.converters:
            rows = [tuple(row) for row in self.compiler.apply_converters(rows, self.converters)]
        return rows


class PreparedQuery:
    """``build(marker, shape)`` returns a ``values()`` query set whose changing values come from
    ``marker``; call ``rows`` / ``dicts`` with the real values in the order the markers were made.

    ``suffix`` (SQL appended as is, e.g. ``" LIMIT %s OFFSET %s"``) and its ``extra`` parameters
    let a caller page without a new compilation per page.
    """

    def __init__(self, build: Callable[[Marker, Any], QuerySet[Any]], *, using: str = "default") -> None:
        self.build = build
        self.using = using
        self._compiled: dict[tuple[int, int, Any], _Compiled] = {}
        self._lock = threading.Lock()

    def _for(self, shape: Any) -> _Compiled:
        connection = connections[self.using]
        key = (id(connection), threading.get_ident(), shape)
        compiled = self._compiled.get(key)
        if compiled is None or compiled.compiler.connection is not connection:
            marker = Marker()
            queryset = self.build(marker, shape)
            compiled = _Compiled(queryset, marker.made)
            with self._lock:
                self._compiled[key] = compiled
        return compiled

    def rows(self, *values: Any, shape: Any = None, suffix: str = "", extra: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._for(shape).run(values, suffix, extra)

    def dicts(self, *values: Any, shape: Any = None, suffix: str = "", extra: Sequence[Any] = ()) -> list[dict[str, Any]]:
        compiled = self._for(shape)
        names = compiled.names
        return [dict(zip(names, row, strict=True)) for row in compiled.run(values, suffix, extra)]


class PagedRows:
    """A list for Django's ``Paginator`` (and DRF's pagination) that reads only what is asked:
    ``count()`` runs the count query, a slice runs the page query with ``LIMIT``/``OFFSET``."""

    def __init__(self, count: Callable[[], int], page: Callable[[int, int], list[Any]]) -> None:
        self._count = count
        self._page = page

    def count(self) -> int:
        return self._count()

    def __len__(self) -> int:
        return self._count()

    def __getitem__(self, index: slice) -> list[Any]:
        if not isinstance(index, slice) or index.step not in (None, 1) or index.stop is None:
            raise TypeError("PagedRows reads pages: slice it with [start:stop].")
        start = index.start or 0
        return self._page(start, max(index.stop - start, 0))
