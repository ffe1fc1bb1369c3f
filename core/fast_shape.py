"""A serializer's output built as a plain dict, for read paths that run it many times a request.

DRF copies every declared field each time a serializer is made and walks each field through
``get_attribute`` and ``to_representation``; on a list of 20 invoices that is most of the
request. ``FastShape(SerializerClass, getters)`` gives the same dict as
``SerializerClass(instance).data``: the same keys in the same order, each from a hand-written
getter where one is given, and from the serializer's own field (made once, reused) for any field
without one, so a field added to the serializer appears here too, with the serializer's value.
The serializer stays the documented shape (OpenAPI); tests compare the two outputs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.fields import SkipField
from rest_framework.settings import api_settings

from core.money import format_amount
from core.serializers import MoneyField

Getter = Callable[[Any, dict[str, Any]], Any]

# DRF's own conversion of a datetime (time zone, ISO 8601, "Z"); stateless, so one serves all.
_DATETIME = serializers.DateTimeField()


def datetime_text(value: Any) -> str | None:
    """A datetime as DRF's ``DateTimeField`` writes it (None stays None)."""
    return None if value is None else _DATETIME.to_representation(value)


def datetime_writer() -> Callable[[Any], str | None]:
    """``datetime_text`` with the current time zone looked up once, for the rows of one page.

    DRF's field looks the zone up (a context-local read) on every value; a page of 20 invoices
    writes 60 datetimes. Same output: the value in that zone, ISO 8601, ``Z`` for UTC.
    """
    output_format = getattr(_DATETIME, "format", api_settings.DATETIME_FORMAT)
    if output_format is None or output_format.lower() != ISO_8601 or not settings.USE_TZ:
        return datetime_text
    zone = timezone.get_current_timezone()

    def write(value: Any) -> str | None:
        if value is None or value.tzinfo is None:
            return datetime_text(value)
        text: str = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return write


def date_text(value: Any) -> str | None:
    """A date as DRF's ``DateField`` writes it (None stays None)."""
    return None if value is None else value.isoformat()


class FastShape:
    def __init__(self, serializer_class: type[serializers.Serializer[Any]], getters: dict[str, Getter]) -> None:
        self.serializer_class = serializer_class
        self.getters = getters
        self._plan: list[tuple[str, Getter]] | None = None
        self._lock = threading.Lock()

    @property
    def plan(self) -> list[tuple[str, Getter]]:
        if self._plan is None:  # on first use: the serializer's fields need the app registry
            with self._lock:
                serializer = self.serializer_class()
                self._plan = [
                    (name, self.getters.get(name) or _from_field(field))
                    for name, field in serializer.fields.items()
                    if not field.write_only
                ]
        return self._plan

    def __call__(self, instance: Any, **context: Any) -> dict[str, Any]:
        return {name: get(instance, context) for name, get in self.plan}

    def fallbacks(self) -> list[str]:
        """The fields served by the serializer's own field (no hand-written getter)."""
        return [name for name, _ in self.plan if name not in self.getters]


def _from_field(field: Any) -> Getter:
    if isinstance(field, MoneyField):
        # MoneyField keeps the currency on itself between two calls: not safe to share across
        # threads, so read both values here instead.
        source, currency_source = str(field.source), str(field.currency_source)

        def money(instance: Any, context: dict[str, Any]) -> Any:
            return format_amount(getattr(instance, source), getattr(instance, currency_source))

        return money

    def drf(instance: Any, context: dict[str, Any]) -> Any:
        try:
            attribute = field.get_attribute(instance)
        except SkipField:
            return None
        return None if attribute is None else field.to_representation(attribute)

    return drf
