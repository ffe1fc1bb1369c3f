"""The summary's figures on the seeded set (reports/tests/conftest.py), worked out by hand."""

from __future__ import annotations

import pytest

from accounts.models import BusinessProfile
from reports.tests.conftest import RANGE

pytestmark = pytest.mark.django_db


def test_summary_in_usd_counts_each_figure_once(seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        response = seeded.client.get("/api/reports/summary/", RANGE)
    assert response.status_code == 200
    body = response.json()
    assert body["currency"] == "USD"
    assert body["currencies"] == ["EUR", "JPY", "USD"]  # for the page's currency picker
    # A 100 + B 250 + D 40 + G 60; C was issued before the range, the draft and the void never count.
    assert body["invoiced"] == "450.00"
    assert body["collected"] == "260.00"  # 100 (Jan 31 in New York) + 100 + 60
    assert body["refunded"] == "40.00"
    # 3.20 + 3.20 in USD; Stripe's 2.04 EUR is left out and counted.
    assert body["fees"] == "6.40"
    assert body["fees_excluded"] == 1
    assert body["net"] == "213.60"
    assert body["outstanding"] == "270.00"  # B 150 + C 80 + D 40
    assert body["overdue"] == "230.00"  # B (due Mar 1) + C
    assert (body["payments"], body["refunds"]) == (3, 1)


def test_other_currencies_are_reported_on_their_own(seeded):
    eur = seeded.client.get("/api/reports/summary/", {**RANGE, "currency": "eur"}).json()
    assert (eur["currency"], eur["invoiced"], eur["collected"], eur["fees"], eur["net"]) == (
        "EUR", "500.00", "500.00", "14.80", "485.20",
    )  # fmt: skip
    jpy = seeded.client.get("/api/reports/summary/", {**RANGE, "currency": "JPY"}).json()
    assert (jpy["collected"], jpy["fees"], jpy["net"]) == ("5000", "145", "4855")


def test_several_currencies_need_one_chosen(seeded):
    response = seeded.client.get("/api/reports/summary/", {"from": "2026-01-01"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "EUR, JPY, USD" in body["message"]
    assert body["details"]["currencies"] == ["EUR", "JPY", "USD"]


def test_the_owners_time_zone_decides_the_month_of_a_late_evening_payment(seeded):
    january = {**RANGE, "to": "2026-01-31"}
    assert seeded.client.get("/api/reports/summary/", january).json()["collected"] == "100.00"
    BusinessProfile.objects.filter(user=seeded.owner).update(time_zone="UTC")
    seeded.client.force_authenticate(type(seeded.owner).objects.get(pk=seeded.owner.pk))  # a new request's user
    # In UTC the payment was made on February 1st.
    assert seeded.client.get("/api/reports/summary/", january).json()["collected"] == "0.00"


def test_the_range_is_inclusive_of_both_days(seeded):
    one_day = {**RANGE, "from": "2026-03-01", "to": "2026-03-01"}
    body = seeded.client.get("/api/reports/summary/", one_day).json()
    assert (body["collected"], body["refunded"]) == ("0.00", "40.00")  # refund at 00:30 Mar 1 in New York
    body = seeded.client.get("/api/reports/summary/", {**one_day, "from": "2026-02-28", "to": "2026-02-28"}).json()
    assert body["collected"] == "100.00"  # B's payment at 22:00 Feb 28 in New York


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"from": "2026-03-02", "to": "2026-03-01"}, "from"),
        ({"interval": "hour"}, "interval"),
        ({"currency": "XYZ"}, "currency"),
        ({"interval": "day", "from": "2024-01-01"}, "interval"),
    ],
)
def test_bad_parameters_are_refused_with_the_field_named(seeded, params, field):
    response = seeded.client.get("/api/reports/summary/", {"currency": "USD", **params})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["details"]


def test_reports_are_for_signed_in_owners_only(db, api_client):
    assert api_client.get("/api/reports/summary/").status_code == 401
    assert api_client.get("/api/reports/payments.csv").status_code == 401


def test_an_owner_sees_only_their_own_figures(seeded, db):
    from rest_framework.test import APIClient

    from accounts.factories import UserFactory

    other = APIClient()
    other.force_authenticate(UserFactory())
    body = other.get("/api/reports/summary/", RANGE).json()
    assert (body["invoiced"], body["collected"], body["outstanding"]) == ("0.00", "0.00", "0.00")


def test_default_range_is_the_last_twelve_whole_months(seeded):
    body = seeded.client.get("/api/reports/summary/", {"currency": "USD"}).json()
    assert (body["from"], body["to"]) == ("2025-04-01", "2026-03-15")
    assert body["invoiced"] == "530.00"  # now INV-C (issued 2025-11-01) is in the range too
