"""The owner's reports: thin views over ``reports.figures`` and ``reports.export``."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.serializers import ErrorSerializer
from reports import export, figures, params

TAGS = ["reports"]
PARAMETERS = [
    OpenApiParameter("currency", str, description="Required when you invoice in several currencies."),
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (your time zone); default: 12 months back."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day, inclusive (your time zone); default: today."),
    OpenApiParameter("interval", str, enum=params.INTERVALS, description="Time series buckets (default month)."),
]
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="A parameter is not valid, or `currency` is needed (`invalid`)."),
    401: OpenApiResponse(ErrorSerializer, description="No credentials (`not_authenticated`)."),
}


def _query(request: Request) -> params.ReportQuery:
    return params.parse(
        request.user, {key: request.query_params.get(key, "") for key in ("currency", "from", "to", "interval")}
    )


class SummaryView(APIView):
    @extend_schema(
        tags=TAGS, summary="Totals for a range", parameters=PARAMETERS, responses={200: OpenApiTypes.OBJECT, **ERRORS}
    )
    def get(self, request: Request) -> Response:
        return Response(figures.summary(_query(request)))


class TimeseriesView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Collected, refunded, fees and net per period",
        parameters=PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        return Response(figures.timeseries(_query(request)))


class AgingView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="What is owed today, by days past due",
        parameters=PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        return Response(figures.aging(_query(request)))


class ClientsView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="The clients invoiced in the range, most first",
        parameters=PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        return Response(figures.clients(_query(request)))


class GatewaysView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Each gateway: checkouts, success, volume, fees, net",
        parameters=PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        return Response(figures.gateways(_query(request)))


class PaymentsCsvView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Payments and refunds of the range as CSV",
        parameters=PARAMETERS,
        responses={(200, "text/csv"): OpenApiTypes.STR, **ERRORS},
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        query = _query(request)
        response = StreamingHttpResponse(export.lines(query), content_type="text/csv; charset=utf-8")
        name = f"payments-{query.currency}-{query.date_from.isoformat()}-{query.date_to.isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
