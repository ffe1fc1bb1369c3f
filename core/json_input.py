"""Reading JSON from strangers: the API's bodies and the gateways' webhooks.

``json.loads`` alone lets two kinds of hostile input through as server errors: nesting deep
enough to exhaust Python's stack (``[`` x 100,000 raises ``RecursionError``, not ``ValueError``),
and text the database cannot store (PostgreSQL's ``jsonb`` and ``text`` refuse ``\\u0000``, and a
lone surrogate cannot even be encoded as UTF-8). ``loads`` refuses both with ``UnreadableJSON``, a
``ValueError``, so callers that already turn ``ValueError`` into a 400 need no other change.
Imports nothing of ours.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

# Real payloads are a handful of levels deep (a Stripe event: about 6); a request nested deeper
# than this is not one we could mean to read, and refusing it early keeps later code
# (serializers, json.dumps on save) far from Python's recursion limit.
MAX_DEPTH = 64

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class UnreadableJSON(ValueError):
    """The text is JSON we refuse to read; the message says why, in words for the sender."""


def loads(text: str | bytes, *, parse_float: Callable[[str], Any] | None = None, **kwargs: Any) -> Any:
    """``json.loads`` that refuses deep nesting and unstorable text with ``UnreadableJSON``.

    Other malformed JSON raises ``json.JSONDecodeError`` (also a ``ValueError``) as before.
    """
    try:
        value = json.loads(text, parse_float=parse_float, **kwargs)
    except RecursionError:
        raise UnreadableJSON(f"The JSON is nested more than {MAX_DEPTH} levels deep.") from None
    check(value)
    return value


def check(value: Any) -> None:
    """Refuse a decoded value nested deeper than ``MAX_DEPTH`` or holding unstorable text.

    Iterative, so a value built in Python (not parsed) cannot exhaust the stack either.
    """
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            _check_text(item)
            continue
        if not isinstance(item, (dict, list)):
            continue
        if depth > MAX_DEPTH:
            raise UnreadableJSON(f"The JSON is nested more than {MAX_DEPTH} levels deep.")
        if isinstance(item, dict):
            for key, child in item.items():
                _check_text(str(key))
                stack.append((child, depth + 1))
        else:
            stack.extend((child, depth + 1) for child in item)


def _check_text(text: str) -> None:
    found = _UNSTORABLE.search(text)
    if found is None:
        return
    if found.group() == "\x00":
        raise UnreadableJSON("The JSON contains a NUL character (\\u0000), which text here cannot hold.")
    raise UnreadableJSON("The JSON contains a lone surrogate (\\ud800-\\udfff), which is not a character.")
