"""The admin's Business profiles: staff see what each owner shows clients, correct it with the
same checks as the API, and can take a logo down; a logo is never uploaded from here."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image

from accounts import profiles
from accounts.factories import UserFactory
from accounts.models import BusinessProfile

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/businessprofile/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def staff() -> Client:
    browser = Client()
    browser.force_login(UserFactory(is_staff=True, is_superuser=True))
    return browser


def _png() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (40, 20), (20, 90, 200)).save(data, format="PNG")
    data.seek(0)
    data.name = "logo.png"
    return data


def _form(profile: BusinessProfile, **changes: str) -> dict[str, str]:
    values = {name: getattr(profile, name) for name in profiles.EDITABLE}
    return {**values, **changes}


def test_the_list_shows_each_owners_business_and_finds_it_by_login(staff):
    BusinessProfile.objects.create(user=UserFactory(username="ada_login"), business_name="Ada Studio")
    BusinessProfile.objects.create(user=UserFactory(username="bo_login"), business_name="Bo Design")

    found = staff.get(CHANGELIST, {"q": "ada_login"})

    assert found.status_code == 200
    assert b"Ada Studio" in found.content and b"Bo Design" not in found.content


def test_a_bad_colour_or_time_zone_is_refused_with_the_apis_message_and_nothing_is_saved(staff):
    profile = BusinessProfile.objects.create(user=UserFactory(), business_name="Ada Studio")
    url = f"{CHANGELIST}{profile.pk}/change/"

    answer = staff.post(url, _form(profile, accent_color="blue", time_zone="Mars/Olympus", business_name="Renamed"))

    assert answer.status_code == 200  # the form again, with its errors
    assert b"Give the colour as # and six hex digits, e.g. #2563eb." in answer.content
    assert b"Select a valid choice. Mars/Olympus is not one of the available choices." in answer.content
    profile.refresh_from_db()
    assert (profile.business_name, profile.accent_color, profile.time_zone) == ("Ada Studio", "#2563eb", "UTC")


def test_a_correction_is_saved_as_the_api_would_store_it(staff):
    profile = BusinessProfile.objects.create(user=UserFactory(), business_name="Ada Studio")

    answer = staff.post(
        f"{CHANGELIST}{profile.pk}/change/", _form(profile, accent_color="#AA33CC", time_zone="Europe/Berlin")
    )

    assert answer.status_code == 302
    profile.refresh_from_db()
    assert (profile.accent_color, profile.time_zone) == ("#aa33cc", "Europe/Berlin")


def test_removing_logos_deletes_the_file_and_says_how_many_profiles_had_one(staff, settings):
    with_logo = UserFactory()
    profiles.set_logo(user=with_logo, upload=_png(), size=len(_png().getvalue()))
    stored = Path(settings.MEDIA_ROOT) / BusinessProfile.objects.get(user=with_logo).logo.name
    assert stored.exists()
    without = BusinessProfile.objects.create(user=UserFactory(), business_name="No Logo Ltd")

    answer = staff.post(
        CHANGELIST,
        {"action": "remove_logos", "_selected_action": [str(with_logo.pk), str(without.pk)]},
        follow=True,
    )

    assert answer.status_code == 200
    assert b"1 logo(s) removed; 1 profile(s) had none." in answer.content
    assert not BusinessProfile.objects.get(user=with_logo).logo
    assert not stored.exists()


def test_the_change_page_has_no_logo_upload_and_the_owner_cannot_be_swapped(staff):
    profile = BusinessProfile.objects.create(user=UserFactory(username="ada_login"), business_name="Ada Studio")

    page = staff.get(f"{CHANGELIST}{profile.pk}/change/")

    assert page.status_code == 200
    assert b'type="file"' not in page.content
    assert b'name="user"' not in page.content
    assert b"none (the owner uploads one from their settings)" in page.content
