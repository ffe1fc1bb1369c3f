"""The registry of gateway plugins.

Built-in gateways register with ``@register``; installed packages add theirs through the
``trackify.payment_gateways`` entry-point group (``name = "package.module:GatewayClass"``),
loaded the first time the registry is read. Adding a gateway changes no code here.
"""

from __future__ import annotations

import logging
from importlib.metadata import entry_points
from threading import Lock
from typing import TypeVar

from payments.errors import UnknownGateway
from payments.gateways.base import PaymentGatewayBase

ENTRY_POINT_GROUP = "trackify.payment_gateways"

logger = logging.getLogger(__name__)

_gateways: dict[str, type[PaymentGatewayBase]] = {}
_entry_points_loaded = False
_lock = Lock()

G = TypeVar("G", bound=type[PaymentGatewayBase])


def register(cls: G) -> G:
    """Class decorator: make a gateway available under its ``name``."""
    name = getattr(cls, "name", "")
    if not name or not name.replace("_", "").isalnum() or name != name.lower():
        raise ValueError(f"{cls.__name__}.name must be a lower-case identifier, got {name!r}")
    existing = _gateways.get(name)
    if existing is not None and existing is not cls:
        raise ValueError(f"A gateway named {name!r} is already registered ({existing.__module__}.{existing.__name__})")
    _gateways[name] = cls
    return cls


def unregister(name: str) -> None:
    _gateways.pop(name, None)


def load_entry_points(*, force: bool = False) -> None:
    """Import the gateways that installed packages declare in the entry-point group."""
    global _entry_points_loaded
    with _lock:
        if _entry_points_loaded and not force:
            return
        _entry_points_loaded = True
        for entry_point in entry_points(group=ENTRY_POINT_GROUP):
            try:
                cls = entry_point.load()
            except Exception:  # a broken plugin must not take the built-in gateways down
                logger.exception("Could not load payment gateway plugin %r", entry_point.value)
                continue
            if not (isinstance(cls, type) and issubclass(cls, PaymentGatewayBase)):
                logger.error("Entry point %r is not a PaymentGatewayBase subclass", entry_point.value)
                continue
            if getattr(cls, "name", None) != entry_point.name:
                logger.warning("Gateway plugin %r registers as %r", entry_point.name, getattr(cls, "name", None))
            try:
                register(cls)
            except ValueError:
                logger.exception("Could not register payment gateway plugin %r", entry_point.value)


def available() -> dict[str, type[PaymentGatewayBase]]:
    """Every installed gateway by name, in name order."""
    load_entry_points()
    return dict(sorted(_gateways.items()))


def get(name: str) -> type[PaymentGatewayBase]:
    load_entry_points()
    try:
        return _gateways[name]
    except KeyError:
        raise UnknownGateway(f"No payment gateway named '{name}' is installed.") from None


def is_registered(name: str) -> bool:
    load_entry_points()
    return name in _gateways
