"""factory_boy factory for users (used by every app's tests)."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

PASSWORD = "pass-1234-word"


class UserFactory(factory.django.DjangoModelFactory):
    """A user whose password is ``PASSWORD``."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n:04d}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        # The password hook runs after the first save: store the hash it set.
        if create:
            obj.save(update_fields=["password"])
