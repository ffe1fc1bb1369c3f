"""A stand-in gateway for calling the services directly: records what it was asked and answers
what the test sets, or raises it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from payments.gateways.base import CheckoutSession


@dataclass
class FakeGateway:
    session: CheckoutSession = field(
        default_factory=lambda: CheckoutSession(session_id="cs_1", checkout_url="https://pay/cs_1")
    )
    # method -> its answer, an exception to raise, or a function of the request that answers
    answers: dict[str, Any] = field(default_factory=dict)
    calls: list[tuple[str, Any]] = field(default_factory=list)

    def _answer(self, name: str, request: Any) -> Any:
        self.calls.append((name, request))
        answer = self.answers.get(name)
        if isinstance(answer, Exception):
            raise answer
        return answer(request) if callable(answer) else answer

    def create_checkout(self, request):  # type: ignore[no-untyped-def]
        return self._answer("create_checkout", request) or self.session

    def retrieve_payment(self, **kwargs):  # type: ignore[no-untyped-def]
        return self._answer("retrieve_payment", kwargs)

    def refund(self, request):  # type: ignore[no-untyped-def]
        return self._answer("refund", request)

    def retrieve_refund(self, **kwargs):  # type: ignore[no-untyped-def]
        return self._answer("retrieve_refund", kwargs)


@pytest.fixture
def fake_gateway(monkeypatch) -> FakeGateway:  # type: ignore[no-untyped-def]
    """Every job module's ``gateway_for`` answers with one FakeGateway."""
    from payments.services import checkout, refunds, status_sync

    fake = FakeGateway()
    for module in (checkout, refunds, status_sync):
        monkeypatch.setattr(module, "gateway_for", lambda config: fake)
    return fake
