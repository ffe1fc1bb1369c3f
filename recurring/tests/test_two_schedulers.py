"""Two schedulers at once (PostgreSQL: SQLite serialises writers and cannot show the race)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection

from invoices.models import Invoice
from recurring.models import RecurringPeriod
from recurring.services import issue_due

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RUNNERS = 6


def test_schedulers_running_together_issue_each_period_once(make_template):
    templates = [make_template(start_date=date(2026, 1, 31), client_name=f"Client {n}") for n in range(3)]
    barrier = threading.Barrier(RUNNERS)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            issue_due(as_of=date(2026, 4, 30))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(RUNNERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    for template in templates:
        dates = sorted(Invoice.objects.filter(recurring_invoice=template).values_list("issue_date", flat=True))
        assert dates == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]
        assert RecurringPeriod.objects.filter(template=template).count() == 4
    numbers = list(Invoice.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 12
