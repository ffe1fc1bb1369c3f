"""The accounts' rules called directly: usernames people cannot tell apart, sign-up races, sign-in."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from accounts import services
from accounts.errors import InvalidCredentials, UsernameTaken
from accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("candidate", ["carol", "CAROL", "Carol", "\uff43\uff41\uff52\uff4f\uff4c"])
def test_a_username_is_taken_in_any_case_or_width(candidate):
    UserFactory(username="carol")

    assert services.username_taken(candidate)
    assert not services.username_taken("carola")


def test_a_ligature_and_its_letters_are_one_username():
    UserFactory(username="ffo")

    assert services.username_taken("\ufb00o")


def test_register_creates_the_user_with_a_usable_password():
    user = services.register(username="dora", email="dora@example.com", password="correct-horse-battery")

    assert user.check_password("correct-horse-battery")
    assert user.email == "dora@example.com"


def test_register_says_the_name_is_taken_when_the_database_refuses_it():
    UserFactory(username="dora")

    with pytest.raises(UsernameTaken):
        services.register(username="dora", email="", password="correct-horse-battery")


def test_password_problems_lists_django_rules():
    assert services.password_problems("correct-horse-battery", username="dora") == []
    assert services.password_problems("short", username="dora")


def test_check_credentials_returns_the_user_or_refuses():
    user = UserFactory(username="erin")
    request = RequestFactory().post("/api/auth/login/")

    assert services.check_credentials(request, username="erin", password=PASSWORD) == user
    with pytest.raises(InvalidCredentials):
        services.check_credentials(request, username="erin", password="wrong-password")
