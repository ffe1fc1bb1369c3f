"""Accounts: register, log in and out, who am I, API tokens, and the CSRF rule for sessions."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
STRONG = "correct-horse-battery-staple"


def register(client, **body):
    return client.post("/api/auth/register/", body, format="json")


def test_register_creates_the_user_and_logs_in(api_client):
    response = register(api_client, username="alice", password=STRONG, email="alice@example.com")

    assert response.status_code == 201
    user = User.objects.get(username="alice")
    assert response.json() == {"id": user.id, "username": "alice"}
    assert user.check_password(STRONG)
    assert user.email == "alice@example.com"
    me = api_client.get("/api/auth/me/")
    assert me.json() == {"id": user.id, "username": "alice", "email": "alice@example.com"}


def test_register_without_email(api_client):
    response = register(api_client, username="bob", password=STRONG)

    assert response.status_code == 201
    assert User.objects.get(username="bob").email == ""


@pytest.mark.parametrize("password", ["short", "password123", "12345678901", "alice-example"])
def test_register_applies_the_password_rules(api_client, password):
    response = register(api_client, username="alice-example", password=password)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["details"]["password"]
    assert not User.objects.exists()


@pytest.mark.parametrize("username", ["alice", "ALICE"])
def test_register_a_taken_username(api_client, username):
    UserFactory(username="alice")

    response = register(api_client, username=username, password=STRONG)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "username" in response.json()["details"]
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [({"password": STRONG}, "username"), ({"username": "x"}, "password"), ({"username": "a b", "password": STRONG}, "username")],
)
def test_register_missing_or_bad_fields(api_client, body, field):
    response = register(api_client, **body)

    assert response.status_code == 400
    assert field in response.json()["details"]


def test_login_sets_a_session(api_client):
    user = UserFactory(username="carol")

    response = api_client.post("/api/auth/login/", {"username": "carol", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert response.json() == {"id": user.id, "username": "carol"}
    assert "sessionid" in response.cookies
    assert api_client.get("/api/auth/me/").json()["username"] == "carol"
    assert api_client.get("/api/invoices/").status_code == 200


@pytest.mark.parametrize(
    "credentials",
    [{"username": "carol", "password": "wrong-password"}, {"username": "nobody", "password": PASSWORD}],
)
def test_login_with_bad_credentials(api_client, credentials):
    UserFactory(username="carol")

    response = api_client.post("/api/auth/login/", credentials, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    assert api_client.get("/api/auth/me/").status_code == 401


def test_login_of_an_inactive_user_is_refused(api_client):
    UserFactory(username="dave", is_active=False)

    response = api_client.post("/api/auth/login/", {"username": "dave", "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"


def test_login_with_missing_fields_is_invalid(api_client):
    response = api_client.post("/api/auth/login/", {"username": "carol"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "password" in response.json()["details"]


def test_logout_ends_the_session(api_client):
    api_client.force_login(UserFactory())

    response = api_client.post("/api/auth/logout/")

    assert response.status_code == 204
    assert api_client.get("/api/auth/me/").status_code == 401


def test_me_anonymous_is_401_and_hands_out_the_csrf_cookie(api_client):
    response = api_client.get("/api/auth/me/")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response.cookies["csrftoken"].value


def test_token_and_token_authentication(api_client):
    user = UserFactory(username="erin")

    response = api_client.post("/api/auth/token/", {"username": "erin", "password": PASSWORD}, format="json")
    again = api_client.post("/api/auth/token/", {"username": "erin", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    key = response.json()["token"]
    assert again.json()["token"] != key  # each call issues its own token; both work
    assert AuthToken.objects.filter(user=user).count() == 2
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/auth/me/").json()["username"] == "erin"
    # A script with a token needs no CSRF token.
    assert client.post("/api/invoices/", {"client_name": "Scripted"}, format="json").status_code == 201


def test_token_with_bad_credentials(api_client):
    UserFactory(username="erin")

    response = api_client.post("/api/auth/token/", {"username": "erin", "password": "nope"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    assert not AuthToken.objects.exists()


@pytest.mark.parametrize("path", ["/api/auth/me/", "/api/invoices/"])
def test_anonymous_on_a_private_endpoint_is_401_not_403(api_client, path):
    response = api_client.get(path)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def csrf_client_logged_in() -> tuple[APIClient, str]:
    """A client that checks CSRF like a browser would, logged in through the API."""
    client = APIClient(enforce_csrf_checks=True)
    UserFactory(username="frank")
    login = client.post("/api/auth/login/", {"username": "frank", "password": PASSWORD}, format="json")
    assert login.status_code == 200
    # Logging in rotates the token: the SPA reads the new one from the cookie.
    return client, client.cookies["csrftoken"].value


def test_session_post_without_csrf_token_is_refused():
    client, _ = csrf_client_logged_in()

    response = client.post("/api/invoices/", {"client_name": "Forged"}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "CSRF" in response.json()["message"]


def test_session_post_with_csrf_token_is_accepted():
    client, token = csrf_client_logged_in()

    response = client.post("/api/invoices/", {"client_name": "Real"}, format="json", HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 201


def test_session_logout_needs_the_csrf_token():
    client, token = csrf_client_logged_in()

    refused = client.post("/api/auth/logout/")
    accepted = client.post("/api/auth/logout/", HTTP_X_CSRFTOKEN=token)

    assert refused.status_code == 403
    assert accepted.status_code == 204
    assert client.get("/api/auth/me/").status_code == 401


def test_session_reads_need_no_csrf_token():
    client, _ = csrf_client_logged_in()

    assert client.get("/api/invoices/").status_code == 200


# Look-alike usernames and blank passwords ---------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [("FFoo", "\ufb00oo"), ("\ufb00oo", "FFOO"), ("walker", "\uff37alker"), ("Strasse", "STRASSE")],
)
def test_a_username_that_only_differs_by_compatibility_form_or_case_is_taken(api_client, first, second):
    assert register(APIClient(), username=first, password=STRONG).status_code == 201

    response = register(api_client, username=second, password=STRONG)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["details"]["username"] == ["This username is already taken."]
    assert User.objects.count() == 1


@pytest.mark.parametrize("password", [" " * 12, "\t" * 10, " \n " * 5, "\u3000" * 10])
def test_a_password_of_only_whitespace_is_refused(api_client, password):
    response = register(api_client, username="blank", password=password)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["details"]["password"] == ["The password cannot be only spaces."]
    assert not User.objects.exists()


def test_a_password_with_spaces_around_it_is_kept_as_typed(api_client):
    assert register(api_client, username="spacey", password=f"  {STRONG}  ").status_code == 201

    assert User.objects.get(username="spacey").check_password(f"  {STRONG}  ")


# API tokens: hashed, expiring, revocable --------------------------------------------------


def token_for(username: str = "erin") -> str:
    UserFactory(username=username)
    response = APIClient().post("/api/auth/token/", {"username": username, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    return response.json()["token"]


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_the_token_is_not_stored_in_a_usable_form():
    key = token_for()

    stored = AuthToken.objects.get()
    assert key not in (stored.digest, stored.token_key)
    assert key not in str(list(AuthToken.objects.values()))


def test_logout_with_a_token_revokes_it(db):
    key = token_for()
    client = with_token(key)

    assert client.post("/api/auth/logout/").status_code == 204

    response = with_token(key).get("/api/auth/me/")
    assert (response.status_code, response.json()["code"]) == (401, "authentication_failed")


def test_revoking_the_current_token_through_the_api(db):
    key, other = token_for(), APIClient().post(
        "/api/auth/token/", {"username": "erin", "password": PASSWORD}, format="json"
    ).json()["token"]

    response = with_token(key).post("/api/auth/token/revoke/", {}, format="json")

    assert (response.status_code, response.json()) == (200, {"revoked": 1})
    assert with_token(key).get("/api/auth/me/").status_code == 401
    assert with_token(other).get("/api/auth/me/").status_code == 200


def test_revoking_all_tokens_from_a_session(db):
    keys = [token_for()] + [
        APIClient().post("/api/auth/token/", {"username": "erin", "password": PASSWORD}, format="json").json()["token"]
        for _ in range(2)
    ]
    session = APIClient()
    session.force_authenticate(User.objects.get(username="erin"))

    named = session.post("/api/auth/token/revoke/", {"token": keys[0]}, format="json")
    everything = session.post("/api/auth/token/revoke/", {"all": True}, format="json")

    assert named.json() == {"revoked": 1}
    assert everything.json() == {"revoked": 2}
    assert [with_token(key).get("/api/auth/me/").status_code for key in keys] == [401, 401, 401]


def test_a_session_revoke_that_names_no_token_is_a_400(db):
    session = APIClient()
    session.force_authenticate(UserFactory())

    response = session.post("/api/auth/token/revoke/", {}, format="json")

    assert (response.status_code, response.json()["code"]) == (400, "no_token")


def test_another_users_token_cannot_be_revoked(db):
    victim = token_for("victim")
    attacker = with_token(token_for("attacker"))

    assert attacker.post("/api/auth/token/revoke/", {"token": victim}, format="json").json() == {"revoked": 0}
    assert with_token(victim).get("/api/auth/me/").status_code == 200


def test_revoke_needs_authentication(api_client):
    assert api_client.post("/api/auth/token/revoke/", {"all": True}, format="json").status_code == 401


def test_a_token_expires_after_the_configured_ttl(settings):
    import datetime

    from django.utils import timezone

    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": datetime.timedelta(hours=2)}
    before = timezone.now()
    user = UserFactory()
    response = APIClient().post("/api/auth/token/", {"username": user.username, "password": PASSWORD}, format="json")
    key, expiry = response.json()["token"], AuthToken.objects.get().expiry

    assert before + datetime.timedelta(hours=2) <= expiry <= timezone.now() + datetime.timedelta(hours=2)
    assert response.json()["expiry"]
    AuthToken.objects.update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    assert with_token(key).get("/api/auth/me/").status_code == 401
    assert not AuthToken.objects.exists()  # an expired token is deleted, not kept


def test_a_token_header_that_is_not_utf8_is_a_401(db):
    response = APIClient().get("/api/auth/me/", HTTP_AUTHORIZATION="Token \xff\xfe")

    assert response.status_code == 401


def test_the_admin_shows_no_usable_token_and_cannot_mint_one(admin_client):
    key = token_for()

    listing = admin_client.get("/admin/knox/authtoken/")
    add = admin_client.get("/admin/knox/authtoken/add/")

    assert listing.status_code == 200
    assert b"erin" in listing.content
    stored = AuthToken.objects.get()
    # Only the digest, a one-way hash, identifies the row (in its link); no part of the key shows.
    for secret in (key, stored.token_key):
        assert secret.encode() not in listing.content
    assert add.status_code == 403
