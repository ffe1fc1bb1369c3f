"""Fixtures for the invoice tests: an owner, a stranger, and API clients logged in as each."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.factories import UserFactory


@pytest.fixture
def owner(db):
    return UserFactory(username="owner")


@pytest.fixture
def stranger(db):
    return UserFactory(username="stranger")


@pytest.fixture
def owner_client(owner) -> APIClient:
    client = APIClient()
    client.force_authenticate(owner)
    return client


@pytest.fixture
def stranger_client(stranger) -> APIClient:
    client = APIClient()
    client.force_authenticate(stranger)
    return client
