"""The owner's business profile (``/api/account/profile/``) and the public logo files."""

from __future__ import annotations

import re

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import profiles
from accounts.api.profile_serializers import LogoUploadSerializer, ProfileSerializer
from accounts.logos import CONTENT_TYPES
from accounts.services import profile_for
from core.serializers import error_responses

TAGS = ["account"]
# What PUT gives a field it leaves out (the model's defaults); the logo is kept.
PUT_DEFAULTS = {"business_name": "", "contact_email": "", "address": "", "tax_id": "", "accent_color": "#2563eb", "time_zone": "UTC"}
_LOGO_NAME = re.compile(r"[0-9a-f]{32}\.(png|jpg|webp)")


class ProfileView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="My business profile",
        description="Before the first save, the defaults (empty fields, #2563eb, UTC); reading never saves.",
        responses={200: ProfileSerializer, **error_responses(401)},
    )
    def get(self, request: Request) -> Response:
        return Response(ProfileSerializer(profile_for(request.user)).data)

    def _save(self, request: Request, data: object, *, partial: bool) -> Response:
        serializer = ProfileSerializer(profile_for(request.user), data=data, partial=partial)
        serializer.is_valid(raise_exception=True)
        profile = profiles.update_profile(user=request.user, data=serializer.validated_data)
        return Response(ProfileSerializer(profile).data)

    @extend_schema(
        tags=TAGS,
        summary="Replace my business profile",
        description="Fields left out take their defaults. `logo_url` is read-only: see the logo endpoint.",
        request=ProfileSerializer,
        responses={200: ProfileSerializer, **error_responses(400, 401)},
    )
    def put(self, request: Request) -> Response:
        data = {**PUT_DEFAULTS, **request.data} if isinstance(request.data, dict) else request.data
        return self._save(request, data, partial=False)

    @extend_schema(
        tags=TAGS,
        summary="Change some fields of my business profile",
        request=ProfileSerializer,
        responses={200: ProfileSerializer, **error_responses(400, 401)},
    )
    def patch(self, request: Request) -> Response:
        return self._save(request, request.data, partial=True)


class ProfileLogoView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=TAGS,
        summary="Upload my logo (multipart/form-data, field `logo`)",
        description=(
            "PNG, JPEG or WebP only (no SVG), at most 512 KB and 2000 pixels a side; 400 `invalid` with "
            "`details.logo` otherwise. The image is re-encoded (metadata dropped) and stored under a random "
            "name; the profile's `logo_url` points at it and is public (the payment page shows it)."
        ),
        request={"multipart/form-data": LogoUploadSerializer},
        responses={200: ProfileSerializer, **error_responses(400, 401)},
    )
    def post(self, request: Request) -> Response:
        serializer = LogoUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["logo"]
        profile = profiles.set_logo(user=request.user, upload=upload, size=upload.size)
        return Response(ProfileSerializer(profile).data)

    @extend_schema(tags=TAGS, summary="Remove my logo", request=None, responses={200: ProfileSerializer, **error_responses(401)})
    def delete(self, request: Request) -> Response:
        return Response(ProfileSerializer(profiles.remove_logo(user=request.user)).data)


@require_safe
def logo_file(request: HttpRequest, name: str) -> FileResponse:
    """A stored logo, for anyone: its random name is all the URL holds. Served as an image that
    can never run as a page (sandboxed, no script, no sniffing)."""
    match = _LOGO_NAME.fullmatch(name)
    path = f"logos/{name}"
    if match is None or not default_storage.exists(path):
        raise Http404()
    response = FileResponse(default_storage.open(path, "rb"), content_type=CONTENT_TYPES[match[1]])
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

