"""The business profile API (/api/account/profile/), its logo, and what clients see of it."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from PIL import Image
from rest_framework.test import APIClient

from accounts.factories import UserFactory
from accounts.models import BusinessProfile
from invoices.factories import InvoiceFactory

URL = "/api/account/profile/"
LOGO = "/api/account/profile/logo/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def owner(db):
    return UserFactory(username="jdoe_login", email="jdoe.private@example.com")


@pytest.fixture
def owner_client(owner) -> APIClient:
    client = APIClient()
    client.force_authenticate(owner)
    return client


def _image(fmt: str = "PNG", size: tuple[int, int] = (64, 32), **save: object) -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(data, format=fmt, **save)
    data.seek(0)
    data.name = f"logo.{fmt.lower()}"
    return data


def _upload(client: APIClient, data: io.BytesIO):  # type: ignore[no-untyped-def]
    return client.post(LOGO, {"logo": data}, format="multipart")


def test_reading_the_profile_before_any_save_shows_the_defaults_and_creates_nothing(owner_client, owner):
    body = owner_client.get(URL).json()

    assert body == {
        "business_name": "",
        "contact_email": "",
        "address": "",
        "tax_id": "",
        "accent_color": "#2563eb",
        "logo_url": None,
        "time_zone": "UTC",
    }
    assert not BusinessProfile.objects.filter(user=owner).exists()


def test_patch_saves_some_fields_and_put_replaces_all(owner_client):
    patched = owner_client.patch(
        URL, {"business_name": " Doe Design Ltd ", "time_zone": "Europe/Berlin", "accent_color": "#AA00FF"}, format="json"
    )
    assert patched.status_code == 200, patched.json()
    assert (patched.json()["business_name"], patched.json()["accent_color"]) == ("Doe Design Ltd", "#aa00ff")

    put = owner_client.put(URL, {"business_name": "Doe Studio", "contact_email": "billing@doe.example"}, format="json")

    assert put.status_code == 200
    assert put.json()["time_zone"] == "UTC"  # left out of the PUT: back to the default
    assert owner_client.get(URL).json()["contact_email"] == "billing@doe.example"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("time_zone", "Mars/Olympus"),
        ("time_zone", "europe/berlin "),
        ("accent_color", "red"),
        ("accent_color", "#12345"),
        ("contact_email", "not-an-email"),
        ("business_name", "x" * 201),
    ],
)
def test_bad_values_are_400_invalid_naming_the_field(owner_client, field, value):
    response = owner_client.patch(URL, {field: value}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["details"]


def test_the_profile_is_the_owners_only(api_client):
    assert api_client.get(URL).status_code == 401
    assert api_client.patch(URL, {"business_name": "x"}, format="json").status_code == 401
    assert api_client.post(LOGO, {}, format="multipart").status_code == 401


def test_a_png_logo_is_stored_under_a_random_name_and_served_as_an_image(owner_client):
    response = _upload(owner_client, _image("PNG"))

    assert response.status_code == 200, response.json()
    url = response.json()["logo_url"]
    assert url.startswith("http") and "/media/logos/" in url and "logo.png" not in url
    served = Client().get(url[url.index("/media/") :])
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert "sandbox" in served["Content-Security-Policy"]
    with Image.open(io.BytesIO(b"".join(served.streaming_content))) as image:
        assert (image.format, image.size) == ("PNG", (64, 32))


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP"])
def test_jpeg_and_webp_are_accepted(owner_client, fmt):
    assert _upload(owner_client, _image(fmt)).status_code == 200


def test_the_logo_is_re_encoded_without_its_metadata(owner_client):
    exif = Image.Exif()
    exif[0x010E] = "secret location note"  # ImageDescription
    response = _upload(owner_client, _image("JPEG", exif=exif.tobytes()))

    url = response.json()["logo_url"]
    stored = b"".join(Client().get(url[url.index("/media/") :]).streaming_content)
    assert b"secret location note" not in stored


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (io.BytesIO(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), "readable"),
        (io.BytesIO(b"just text, not an image"), "readable"),
        (_image("GIF"), "PNG, JPEG or WebP"),
        (_image("PNG", size=(2001, 10)), "2000"),
        (_image("BMP", size=(500, 500)), "KB"),  # 750 KB of pixels: over the limit
    ],
)
def test_a_logo_that_is_not_a_small_png_jpeg_or_webp_is_refused(owner_client, data, reason):
    data.name = getattr(data, "name", "logo.svg")
    response = _upload(owner_client, data)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert reason in " ".join(response.json()["details"]["logo"])
    assert owner_client.get(URL).json()["logo_url"] is None


def test_a_logo_over_512_kb_is_refused(owner_client):
    big = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * (512 * 1024 + 10))
    big.name = "big.png"

    response = _upload(owner_client, big)

    assert response.status_code == 400
    assert "512 KB" in " ".join(response.json()["details"]["logo"])


def test_replacing_and_removing_the_logo_retire_the_old_file(owner_client):
    first = _upload(owner_client, _image("PNG")).json()["logo_url"]
    second = _upload(owner_client, _image("JPEG")).json()["logo_url"]

    assert first != second
    assert Client().get(first[first.index("/media/") :]).status_code == 404
    assert owner_client.delete(LOGO).json()["logo_url"] is None
    assert Client().get(second[second.index("/media/") :]).status_code == 404


@pytest.mark.parametrize("name", ["x.svg", "0" * 32 + ".png", "logo.png"])
def test_only_stored_logo_names_are_served(db, name):
    assert Client().get(f"/media/logos/{name}").status_code == 404


def test_the_public_invoice_shows_the_business_never_the_login_or_account_email(owner_client, owner):
    invoice = InvoiceFactory(owner=owner)
    bare = Client().get(f"/api/payment/public/invoice/{invoice.public_id}/").json()
    assert bare["issuer_name"] == ""  # no profile yet: no "from" line, never the username

    owner_client.patch(
        URL,
        {"business_name": "Doe Design", "contact_email": "hello@doe.example", "address": "1 Main St", "tax_id": "DE123"},
        format="json",
    )
    _upload(owner_client, _image("PNG"))
    response = Client().get(f"/api/payment/public/invoice/{invoice.public_id}/")

    body = response.json()
    assert body["issuer_name"] == "Doe Design"
    assert {k: body["issuer"][k] for k in ("name", "contact_email", "address", "tax_id", "accent_color")} == {
        "name": "Doe Design",
        "contact_email": "hello@doe.example",
        "address": "1 Main St",
        "tax_id": "DE123",
        "accent_color": "#2563eb",
    }
    assert "/media/logos/" in body["issuer"]["logo_url"]
    assert "owner" not in body
    for private in ("jdoe_login", "jdoe.private@example.com"):
        assert private not in response.content.decode()
        assert private not in str(bare)
