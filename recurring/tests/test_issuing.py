"""Issuing: a year under a frozen clock, the owner's time zone, pause/resume, end and count, the command."""

from __future__ import annotations

import datetime
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import BusinessProfile
from invoices.models import Invoice
from notifications.models import EmailMessageLog
from recurring.models import RecurringPeriod
from recurring.services import issue_due, pause_template, resume_template

pytestmark = pytest.mark.django_db


def _run_daily(start: date, days: int, hour: int = 9) -> None:
    """The scheduler, woken once a day for ``days`` days (twice, to show a rerun issues nothing)."""
    for offset in range(days):
        day = start + datetime.timedelta(days=offset)
        with time_machine.travel(
            datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC), tick=False
        ):
            issue_due()
            issue_due()


def test_a_year_of_a_monthly_template_from_the_31st_issues_twelve_invoices_one_per_month(make_template):
    template = make_template(start_date=date(2026, 1, 31))

    _run_daily(date(2026, 1, 25), 370)

    invoices = list(Invoice.objects.filter(recurring_invoice=template).order_by("issue_date"))
    assert [i.issue_date for i in invoices] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
        date(2026, 6, 30),
        date(2026, 7, 31),
        date(2026, 8, 31),
        date(2026, 9, 30),
        date(2026, 10, 31),
        date(2026, 11, 30),
        date(2026, 12, 31),
    ]  # the clock stops on 2027-01-29: twelve, no gap, no duplicate
    assert len({i.number for i in invoices}) == 12
    first = invoices[0]
    assert (first.status, first.total, first.currency) == ("sent", Decimal("250.00"), "USD")
    assert first.due_date == date(2026, 2, 14)
    assert first.items.get().description == "Monthly retainer"
    # Each invoice was emailed to the client once.
    assert EmailMessageLog.objects.filter(to="billing@acme.example").count() == 12


def test_count_limits_the_invoices_in_all_and_end_date_stops_the_schedule(make_template):
    by_count = make_template(start_date=date(2026, 1, 10), count=3)
    by_end = make_template(start_date=date(2026, 1, 10), end_date=date(2026, 2, 10), client_name="Other")

    issue_due(as_of=date(2026, 12, 31))

    assert Invoice.objects.filter(recurring_invoice=by_count).count() == 3
    assert Invoice.objects.filter(recurring_invoice=by_end).count() == 2
    by_count.refresh_from_db()
    assert by_count.next_issue_date is None


def test_the_day_is_the_owners_in_their_time_zone(make_template, owner):
    BusinessProfile.objects.update_or_create(user=owner, defaults={"time_zone": "Pacific/Auckland"})
    template = make_template(start_date=date(2026, 3, 1))

    # 2026-02-28 12:00 UTC is already March 1st in Auckland (UTC+13).
    with time_machine.travel(datetime.datetime(2026, 2, 28, 12, tzinfo=datetime.UTC), tick=False):
        assert issue_due() == 1
    # ... but not yet in UTC for an owner there.
    template.refresh_from_db()
    assert template.next_issue_date == date(2026, 4, 1)


def test_paused_issues_nothing_and_resume_skips_the_missed_periods(make_template):
    template = make_template(start_date=date(2026, 1, 15))
    issue_due(as_of=date(2026, 1, 20))
    pause_template(template=template)

    assert issue_due(as_of=date(2026, 4, 20)) == 0

    with time_machine.travel(datetime.datetime(2026, 4, 20, 9, tzinfo=datetime.UTC), tick=False):
        template = resume_template(template=template)
    assert template.next_issue_date == date(2026, 5, 15)
    issue_due(as_of=date(2026, 5, 15))
    assert [i.issue_date for i in Invoice.objects.filter(recurring_invoice=template).order_by("issue_date")] == [
        date(2026, 1, 15),
        date(2026, 5, 15),
    ]


def test_a_period_claimed_already_is_not_issued_again(make_template):
    template = make_template(start_date=date(2026, 1, 15))
    # Another scheduler claimed January (its row exists) but this one still points at it.
    RecurringPeriod.objects.create(template=template, period_date=date(2026, 1, 15), index=0)

    issue_due(as_of=date(2026, 2, 20))

    assert [i.issue_date for i in Invoice.objects.filter(recurring_invoice=template)] == [date(2026, 2, 15)]
    assert RecurringPeriod.objects.filter(template=template).count() == 2


def test_the_command_issues_what_is_due_as_of_a_date_once(make_template, capsys):
    template = make_template(start_date=date(2026, 1, 31))

    call_command("issue_recurring_invoices", "--as-of", "2026-03-31")
    call_command("issue_recurring_invoices", "--as-of", "2026-03-31")

    assert "Issued 0 recurring invoice(s)." in capsys.readouterr().out
    assert Invoice.objects.filter(recurring_invoice=template).count() == 3


def test_the_issuing_schedule_exists_after_migrate():
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.filter(task="recurring.issue_due_invoices", enabled=True).exists()
    assert PeriodicTask.objects.filter(task="recurring.run_autopay_charges", enabled=True).exists()
