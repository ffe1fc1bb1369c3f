"""The sandbox's tests drive it from Trackify's side: an owner, a sandbox gateway, an invoice, a payer."""

from payments.tests.conftest import checkout, gateway, invoice, owner, owner_client, pay  # noqa: F401
