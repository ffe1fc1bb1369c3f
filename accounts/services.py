"""Accounts' rules: who may take a username, which passwords pass, creating an account and
checking a sign-in. The API (``accounts.api``) validates the request's shape and calls these."""

from __future__ import annotations

import operator
import unicodedata
from functools import reduce
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest

from accounts.errors import InvalidCredentials, UsernameTaken
from accounts.models import BusinessProfile

User = get_user_model()


def username_key(value: str) -> str:
    """The form two usernames share when people would read them as the same (NFKC, case-folded)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())


def username_taken(username: str) -> bool:
    """Whether an account already has this username, or one a person could not tell from it."""
    # "Alice" and "alice", or "ffo" and "ﬀo" (a ligature), would be two accounts a person
    # cannot tell apart: refuse the second. Usernames are stored NFKC-normalized (Django's
    # create_user), so one case-insensitive look-up per spelling of the candidate finds them.
    spellings = {unicodedata.normalize("NFKC", username), username_key(username)}
    return User.objects.filter(reduce(operator.or_, (Q(username__iexact=s) for s in spellings))).exists()


def password_problems(password: str, *, username: str, email: str = "") -> list[str]:
    """What Django's password rules (AUTH_PASSWORD_VALIDATORS) say against this password; [] if none."""
    try:
        validate_password(password, user=User(username=username, email=email))
    except ValidationError as exc:
        return list(exc.messages)
    return []


def register(*, username: str, email: str, password: str) -> Any:
    """Create the account; ``UsernameTaken`` when another sign-up took the name first."""
    try:
        with transaction.atomic():
            return User.objects.create_user(username, email, password)
    except IntegrityError:
        # Two sign-ups with the same name at once: the database has the last word.
        raise UsernameTaken() from None


def check_credentials(request: HttpRequest, *, username: str, password: str) -> Any:
    """The active user these credentials belong to, or ``InvalidCredentials``.

    Through ``authenticate``, so the sign-in lockout (django-axes) counts the attempt.
    """
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise InvalidCredentials()
    return user


def profile_for(user: Any) -> BusinessProfile:
    """The owner's saved business profile, or an unsaved one with the defaults.

    Reading never creates a row: a page view or an email must not write to the database.
    Callers that show it use ``business_name`` as is (empty when unset), never the username.
    """
    # Free when the caller selected it (select_related("owner__business_profile")); else one
    # query. A cached "no profile" is not trusted: the profile may have been saved since.
    cached = getattr(getattr(user, "_state", None), "fields_cache", {}).get("business_profile")
    if isinstance(cached, BusinessProfile):
        return cached
    profile = BusinessProfile.objects.filter(user_id=user.pk).first()
    return profile if profile is not None else BusinessProfile(user_id=user.pk)


def logo_url(profile: BusinessProfile) -> str | None:
    """The absolute URL of the profile's logo (emails need it absolute), or None without one."""
    if not profile.logo:
        return None
    return f"{settings.PUBLIC_BASE_URL}{profile.logo.url}"


def public_issuer(user: Any) -> dict[str, Any]:
    """What a client may see about the business that billed them: the profile's own fields,
    never the login username nor the account's email (``contact_email`` is the one the owner
    chose to show; empty when unset)."""
    profile = profile_for(user)
    return {
        "name": profile.business_name,
        "contact_email": profile.contact_email,
        "address": profile.address,
        "tax_id": profile.tax_id,
        "logo_url": logo_url(profile),
        "accent_color": profile.accent_color,
    }
