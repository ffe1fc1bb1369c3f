"""The payment API: thin views that validate, call one service or selector, and serialize."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from activity.services import record_view
from core.serializers import ErrorSerializer, error_responses
from invoices.links import check_payment_link
from payments import selectors
from payments.api import serializers as s
from payments.api.representations import payment_list_data, public_invoice_data
from payments.errors import GatewayCredentialsInvalid
from payments.gateways import registry
from payments.listing import payment_page, public_invoice_read
from payments.models import InvoicePayment
from payments.services import PaymentService, configs, webhook_endpoints
from trackify.api import LabelledValidationError, PublicRateThrottle

LINK_GONE = OpenApiResponse(
    ErrorSerializer, description="`link_revoked` (turned off or replaced by the owner) or `link_expired`."
)


def _credentials_invalid(exc: GatewayCredentialsInvalid, gateway_name: str) -> serializers.ValidationError:
    # Saving malformed credentials is a validation error of the `credentials` field (400 invalid),
    # one entry per credential; the message names each as the form labels it ("Secret key").
    # A problem with the keys as a whole is said without a field name.
    # The gateway's refusal of the keys on save (verified before the config is stored) carries no
    # per-field lists, only its own facts (a request id): it is said once for the keys as a whole.
    labels = {"credentials": "", **{f"credentials.{f.name}": f.label for f in registry.get(gateway_name).credential_fields}}
    per_field = {name: value for name, value in (exc.details or {}).items() if isinstance(value, list)}
    return LabelledValidationError({"credentials": per_field or [exc.message]}, labels=labels)


class GatewayConfigListView(APIView):
    @extend_schema(responses={200: s.GatewayConfigSerializer(many=True), **error_responses(401)})
    def get(self, request: Request) -> Response:
        return Response(s.GatewayConfigSerializer(selectors.configs_for(request.user), many=True).data)

    @extend_schema(request=s.GatewayConfigSerializer, responses={201: s.GatewayConfigSerializer, **error_responses(400, 401)})
    def post(self, request: Request) -> Response:
        serializer = s.GatewayConfigSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            config = configs.connect(
                owner=request.user,
                gateway_name=data["gateway_name"],
                credentials=data.get("credentials"),
                display_name=data.get("display_name", ""),
                mode=data.get("mode", "test"),
                is_active=data.get("is_active", True),
                is_default=data.get("is_default"),
            )
        except GatewayCredentialsInvalid as exc:
            raise _credentials_invalid(exc, data["gateway_name"]) from None
        return Response(s.GatewayConfigSerializer(config).data, status=status.HTTP_201_CREATED)


class GatewayConfigDetailView(APIView):
    @extend_schema(responses={200: s.GatewayConfigSerializer, **error_responses(401, 404)})
    def get(self, request: Request, config_id: Any) -> Response:
        config = selectors.config_for_owner(owner=request.user, config_id=config_id)
        return Response(s.GatewayConfigSerializer(config).data)

    def _update(self, request: Request, config_id: Any, *, partial: bool) -> Response:
        config = selectors.config_for_owner(owner=request.user, config_id=config_id)
        serializer = s.GatewayConfigSerializer(config, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("gateway_name", None)
        try:
            config = configs.change(config=config, credentials=data.pop("credentials", None), **data)
        except GatewayCredentialsInvalid as exc:
            raise _credentials_invalid(exc, config.gateway_name) from None
        return Response(s.GatewayConfigSerializer(config).data)

    @extend_schema(request=s.GatewayConfigSerializer, responses={200: s.GatewayConfigSerializer, **error_responses(400, 401, 404)})
    def put(self, request: Request, config_id: Any) -> Response:
        return self._update(request, config_id, partial=False)

    @extend_schema(request=s.GatewayConfigSerializer, responses={200: s.GatewayConfigSerializer, **error_responses(400, 401, 404)})
    def patch(self, request: Request, config_id: Any) -> Response:
        return self._update(request, config_id, partial=True)

    @extend_schema(responses={204: None, **error_responses(401, 404)})
    def delete(self, request: Request, config_id: Any) -> Response:
        configs.remove(config=selectors.config_for_owner(owner=request.user, config_id=config_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class GatewayConfigVerifyView(APIView):
    @extend_schema(request=None, responses={200: s.VerifySerializer, **error_responses(400, 401, 404, 502)})
    def post(self, request: Request, config_id: Any) -> Response:
        """Ask the gateway again. Refused: 400 ``gateway_credentials_invalid`` (not verified).
        Unreachable: 502 ``gateway_error``, the reason kept in ``verify_error``. Accepted: a
        missing managed webhook endpoint is created too."""
        config = selectors.config_for_owner(owner=request.user, config_id=config_id)
        facts, config = configs.verify(config=config)
        return Response(
            {
                **facts,
                "ok": True,
                "verified": config.verified_at is not None,
                "verified_at": config.verified_at,
                "webhook_mode": config.webhook_mode,
            }
        )


class GatewayConfigRepairWebhooksView(APIView):
    @extend_schema(
        request=None,
        responses={200: s.GatewayConfigSerializer, **error_responses(400, 401, 404, 502)},
        description=(
            "Create a new webhook endpoint at the gateway for this config and switch to it (managed mode); "
            "the previous signing secret stays accepted during the switch and the previous endpoint is deleted. "
            "400 `gateway_rejected` for a gateway that cannot manage endpoints; 502 when the gateway fails."
        ),
    )
    def post(self, request: Request, config_id: Any) -> Response:
        config = selectors.config_for_owner(owner=request.user, config_id=config_id)
        return Response(s.GatewayConfigSerializer(webhook_endpoints.repair(config=config)).data)


class GatewayTypesView(APIView):
    @extend_schema(responses={200: s.GatewayTypeSerializer(many=True), **error_responses(401)})
    def get(self, request: Request) -> Response:
        types = [
            {
                "name": cls.name,
                "display_name": cls.display_name,
                "credential_fields": [
                    {"name": f.name, "label": f.label, "secret": f.secret, "required": f.required, "help_text": f.help_text}
                    for f in cls.credential_fields
                ],
                "needs_webhook_setup": cls.needs_webhook_setup,
            }
            for cls in registry.available().values()
        ]
        return Response(s.GatewayTypeSerializer(types, many=True).data)


class CreateSessionView(APIView):
    """``invoice_id`` is the invoice's public id (the one in ``payment_url``), whoever calls:
    the endpoint authenticates no one, so an owner's call sends the public id too, and the
    internal id answers 404."""

    permission_classes = [AllowAny]
    authentication_classes: list = []  # public: the link's public id is the capability
    throttle_classes = [PublicRateThrottle]

    @extend_schema(
        request=s.CreateSessionSerializer,
        responses={
            201: s.CheckoutSessionSerializer,
            200: s.CheckoutSessionSerializer,
            **error_responses(400, 404, 429, 502),
            410: LINK_GONE,
            409: OpenApiResponse(
                ErrorSerializer,
                description=(
                    "`invoice_not_payable`; `gateway_not_configured`; or `too_many_open_checkouts`: the invoice "
                    "already has MAX_OPEN_CHECKOUTS_PER_INVOICE (default 5) checkouts pending and unexpired, "
                    "`details: {limit}`. Asking again for the amount of an open checkout still reuses it (200)."
                ),
            ),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = s.CreateSessionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = PaymentService().create_checkout(
            public_id=data["invoice_id"], amount=data.get("amount"), gateway_config_id=data.get("gateway_config_id"),
            save_payment_method=data.get("save_payment_method", False),
        )
        return Response(
            s.CheckoutSessionSerializer(result.payment).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class PaymentStatusView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicRateThrottle]

    @extend_schema(
        description=(
            "`invoice_id` is the invoice's public id (the one in its link). 410 when that link was revoked, "
            "has expired, or was replaced after this payment was opened."
        ),
        responses={200: s.PaymentStatusSerializer, **error_responses(404, 429), 410: LINK_GONE},
    )
    def get(self, request: Request, payment_id: Any) -> Response:
        payment = selectors.payment_for_status(payment_id)
        check_payment_link(payment.invoice, opened_at=payment.created_at)
        payment = PaymentService().refresh_if_due(payment=payment)
        return Response(s.PaymentStatusSerializer(payment).data)


class RefundView(APIView):
    @extend_schema(
        request=s.RefundRequestSerializer, responses={201: s.RefundCreatedSerializer, **error_responses(400, 401, 404, 409, 502)}
    )
    def post(self, request: Request, payment_id: Any) -> Response:
        payment = selectors.payment_for_owner(owner=request.user, payment_id=payment_id)
        serializer = s.RefundRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        refund = PaymentService().refund(
            payment=payment,
            amount=serializer.validated_data.get("amount"),
            reason=serializer.validated_data.get("reason", ""),
            user=request.user,
            invoice_effect=serializer.validated_data["invoice_effect"],
        )
        return Response(s.RefundCreatedSerializer(refund).data, status=status.HTTP_201_CREATED)


class InvoicePaymentsView(generics.ListAPIView):
    """An invoice's payments with their refunds, newest first, paginated like every list."""

    serializer_class = s.OwnerPaymentSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no invoice
            return InvoicePayment.objects.none()
        return selectors.invoice_payments(owner=self.request.user, invoice_id=self.kwargs["invoice_id"])

    @extend_schema(responses={200: s.OwnerPaymentSerializer(many=True), **error_responses(401, 404)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The hot path: prepared queries and a plain dict per payment, the serializer's shape.
        page = self.paginate_queryset(payment_page(owner=request.user, invoice_id=kwargs["invoice_id"]))
        return self.get_paginated_response(payment_list_data(page))


class PublicInvoiceView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicRateThrottle]

    @extend_schema(
        description=(
            "`invoice_id` in the path is the invoice's public id (the one in `payment_url`). Each visit is "
            "noted on the owner's timeline (first and last view). 410 `link_revoked` or `link_expired` when "
            "the link no longer works; 404 when no invoice ever had this id."
        ),
        responses={200: s.PublicInvoiceSerializer, **error_responses(404, 429), 410: LINK_GONE},
    )
    def get(self, request: Request, invoice_id: Any) -> Response:
        # The hot path: prepared queries and a plain dict, the serializer's shape.
        read = public_invoice_read(invoice_id)
        record_view(read.invoice.pk)
        return Response(public_invoice_data(read))
