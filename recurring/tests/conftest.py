"""Fixtures for recurring invoices: an owner with a sandbox gateway and a template factory."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.factories import UserFactory
from payments.factories import sandbox_config
from recurring.services import create_template


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("NOT RUN ON THIS DATABASE: two schedulers at once need PostgreSQL (SQLite serialises writers).")


@pytest.fixture
def owner(db):
    return UserFactory()


@pytest.fixture
def owner_client(owner) -> APIClient:
    client = APIClient()
    client.force_authenticate(owner)
    return client


@pytest.fixture
def gateway(owner):
    return sandbox_config(owner=owner)


@pytest.fixture
def make_template(owner):
    def _make(**overrides: Any):  # type: ignore[no-untyped-def]
        data = {
            "client_name": "Acme Ltd",
            "client_email": "billing@acme.example",
            "currency": "USD",
            "items": [{"description": "Monthly retainer", "quantity": "1", "unit_price": "250.00"}],
            "interval": "month",
            "interval_count": 1,
            "start_date": datetime.date(2026, 1, 31),
            "days_until_due": 14,
            **overrides,
        }
        return create_template(owner=owner, data=data)

    return _make
