"""API of the finance app (budget part): standard rates, budget lines with their current
amount, amendments, ledger mappings, actuals (read-only) and the actuals import.

Everyone in the organisation reads; only controllers and administrators write (the services
decide: 403). Records the user may not see answer 404; bad input answers 400 (problem+json)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from onderdak.common.api import RuleViolation, model_validation_as_400, validated
from onderdak.common.imports import ImportRejected

from .. import selectors, services
from ..models import Actual, LedgerMapping, Rate
from .serializers import (
    ActualImportInput,
    ActualImportOutput,
    ActualOutput,
    ActualQuery,
    AdoptOutput,
    AmendmentInput,
    AmendmentOutput,
    AmendmentUpdateInput,
    BudgetLineInput,
    BudgetLineOutput,
    BudgetLineUpdateInput,
    BudgetQuery,
    MappingOutput,
    OrganisationInput,
    OrganisationQuery,
    RateInput,
    RateOutput,
    RateUpdateInput,
)

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation


def _organisation(user: Any, pk: int) -> Organisation:
    """An organisation named in a body: one whose money the user reads, else 400 (so that the
    existence of others is not revealed). Whether the user may write: the service (403)."""
    organisation = next((o for o in selectors.organisations_for(user) if o.pk == pk), None)
    if organisation is None:
        raise RuleViolation({"organisation": [_("Unknown organisation.")]})
    return organisation


def _get(getter: Any, request: Request, pk: int) -> Any:
    try:
        return getter(user=request.user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def _rejected(rejection: ImportRejected) -> RuleViolation:
    return RuleViolation(
        {"file": [str(error) for error in rejection.errors[:100]] or [_("Not imported.")]}
    )


# --- rates ---------------------------------------------------------------------------------


class RateListApi(ListAPIView[Rate]):
    serializer_class = RateOutput

    def get_queryset(self) -> Any:
        query = validated(OrganisationQuery, self.request.query_params)
        return selectors.rate_list(
            user=self.request.user, organisation_id=query.get("organisation")
        )

    @extend_schema(summary="Standard rates the user may see", parameters=[OrganisationQuery])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=RateInput, responses={201: RateOutput}, summary="Add a rate")
    def post(self, request: Request) -> Response:
        values = validated(RateInput, request.data)
        organisation = _organisation(request.user, values.pop("organisation"))
        with model_validation_as_400():
            rate = services.rate_create(actor=request.user, organisation=organisation, **values)
        return Response(RateOutput(rate).data, status=status.HTTP_201_CREATED)


class RateDetailApi(APIView):
    @extend_schema(responses=RateOutput, summary="One standard rate")
    def get(self, request: Request, pk: int) -> Response:
        return Response(RateOutput(_get(selectors.rate_get, request, pk)).data)

    @extend_schema(
        request=RateUpdateInput,
        responses=RateOutput,
        summary="Change a rate (a changed national rate becomes the organisation's own)",
    )
    def patch(self, request: Request, pk: int) -> Response:
        rate = _get(selectors.rate_get, request, pk)
        values = validated(RateUpdateInput, request.data, partial=True)
        with model_validation_as_400():
            services.rate_update(actor=request.user, rate=rate, **values)
        return Response(RateOutput(rate).data)

    @extend_schema(responses={204: None}, summary="Delete a rate")
    def delete(self, request: Request, pk: int) -> Response:
        services.rate_delete(actor=request.user, rate=_get(selectors.rate_get, request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class RateAdoptApi(APIView):
    @extend_schema(
        request=OrganisationInput,
        responses=AdoptOutput,
        summary="Adopt the national rates the organisation lacks (idempotent)",
    )
    def post(self, request: Request) -> Response:
        values = validated(OrganisationInput, request.data)
        organisation = _organisation(request.user, values["organisation"])
        created = services.adopt_national_rates(actor=request.user, organisation=organisation)
        return Response(AdoptOutput({"created": created}).data)


# --- budget --------------------------------------------------------------------------------


def _row(line: Any, on: date) -> selectors.BudgetRow:
    current = selectors.current_amount(line, on)
    return selectors.BudgetRow(line, line.amount, current - line.amount, current)


class BudgetLineListApi(APIView):
    @extend_schema(
        parameters=[BudgetQuery],
        responses=BudgetLineOutput(many=True),
        summary="Budget lines of an organisation and year with the current budget",
    )
    def get(self, request: Request) -> Response:
        query = validated(BudgetQuery, request.query_params)
        today = timezone.localdate()
        organisation = selectors.organisation_for(request.user, query.get("organisation"))
        if organisation is None:
            raise Http404
        rows = selectors.budget_rows(
            user=request.user,
            organisation_id=organisation.pk,
            year=query.get("year", today.year),
            on=query.get("on", today),
        )
        return Response(BudgetLineOutput(rows, many=True).data)

    @extend_schema(
        request=BudgetLineInput, responses={201: BudgetLineOutput}, summary="Add a budget line"
    )
    def post(self, request: Request) -> Response:
        values = validated(BudgetLineInput, request.data)
        organisation = _organisation(request.user, values.pop("organisation"))
        with model_validation_as_400():
            line = services.budget_line_create(
                actor=request.user, organisation=organisation, **values
            )
        return Response(
            BudgetLineOutput(_row(line, timezone.localdate())).data, status=status.HTTP_201_CREATED
        )


class BudgetLineDetailApi(APIView):
    @extend_schema(responses=BudgetLineOutput, summary="One budget line (current: today)")
    def get(self, request: Request, pk: int) -> Response:
        line = _get(selectors.budget_line_get, request, pk)
        return Response(BudgetLineOutput(_row(line, timezone.localdate())).data)

    @extend_schema(
        request=BudgetLineUpdateInput, responses=BudgetLineOutput, summary="Change a budget line"
    )
    def patch(self, request: Request, pk: int) -> Response:
        line = _get(selectors.budget_line_get, request, pk)
        values = validated(BudgetLineUpdateInput, request.data, partial=True)
        with model_validation_as_400():
            services.budget_line_update(actor=request.user, line=line, **values)
        return Response(BudgetLineOutput(_row(line, timezone.localdate())).data)

    @extend_schema(responses={204: None}, summary="Delete a budget line and its amendments")
    def delete(self, request: Request, pk: int) -> Response:
        line = _get(selectors.budget_line_get, request, pk)
        services.budget_line_delete(actor=request.user, line=line)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AmendmentListApi(APIView):
    @extend_schema(
        parameters=[OrganisationQuery],
        responses=AmendmentOutput(many=True),
        summary="Budget amendments the user may see",
    )
    def get(self, request: Request) -> Response:
        query = validated(OrganisationQuery, request.query_params)
        amendments = selectors.amendment_list(
            user=request.user, organisation_id=query.get("organisation")
        )[:5000]
        return Response(AmendmentOutput(amendments, many=True).data)  # type: ignore[arg-type]

    @extend_schema(
        request=AmendmentInput, responses={201: AmendmentOutput}, summary="Add an amendment"
    )
    def post(self, request: Request) -> Response:
        values = validated(AmendmentInput, request.data)
        try:
            line = selectors.budget_line_get(user=request.user, pk=values.pop("line"))
        except ObjectDoesNotExist:
            raise RuleViolation({"line": [_("Unknown budget line.")]}) from None
        with model_validation_as_400():
            amendment = services.amendment_create(actor=request.user, line=line, **values)
        return Response(AmendmentOutput(amendment).data, status=status.HTTP_201_CREATED)


class AmendmentDetailApi(APIView):
    @extend_schema(
        request=AmendmentUpdateInput, responses=AmendmentOutput, summary="Change an amendment"
    )
    def patch(self, request: Request, pk: int) -> Response:
        amendment = _get(selectors.amendment_get, request, pk)
        values = validated(AmendmentUpdateInput, request.data, partial=True)
        with model_validation_as_400():
            services.amendment_update(actor=request.user, amendment=amendment, **values)
        return Response(AmendmentOutput(amendment).data)

    @extend_schema(responses={204: None}, summary="Delete an amendment")
    def delete(self, request: Request, pk: int) -> Response:
        amendment = _get(selectors.amendment_get, request, pk)
        services.amendment_delete(actor=request.user, amendment=amendment)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- ledger mapping and actuals ------------------------------------------------------------


class MappingListApi(ListAPIView[LedgerMapping]):
    serializer_class = MappingOutput

    def get_queryset(self) -> Any:
        query = validated(OrganisationQuery, self.request.query_params)
        return selectors.mapping_list(
            user=self.request.user, organisation_id=query.get("organisation")
        )

    @extend_schema(summary="Ledger account mappings", parameters=[OrganisationQuery])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ActualListApi(ListAPIView[Actual]):
    serializer_class = ActualOutput

    def get_queryset(self) -> Any:
        query = validated(ActualQuery, self.request.query_params)
        queryset = selectors.actual_list(
            user=self.request.user, organisation_id=query.get("organisation")
        )
        if "start" in query:
            queryset = queryset.filter(booking_date__gte=query["start"])
        if "end" in query:
            queryset = queryset.filter(booking_date__lte=query["end"])
        return queryset

    @extend_schema(summary="Imported bookings (read-only)", parameters=[ActualQuery])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ActualImportApi(APIView):
    parser_classes = (MultiPartParser, FormParser)

    @extend_schema(
        request={"multipart/form-data": ActualImportInput},
        responses={201: ActualImportOutput},
        summary=(
            "Import the bookings of a period (all-or-nothing; the same period again replaces "
            "it; an overlapping other period is refused)"
        ),
    )
    def post(self, request: Request) -> Response:
        values = validated(ActualImportInput, request.data)
        organisation = _organisation(request.user, values["organisation"])
        upload = values["file"]
        if upload.size > 10 * 1024 * 1024:
            raise RuleViolation({"file": [_("The file is larger than 10 MB.")]})
        try:
            result = services.actuals_import(
                actor=request.user,
                organisation=organisation,
                content=upload.read(),
                filename=upload.name or "upload.csv",
                period_start=values["period_start"],
                period_end=values["period_end"],
            )
        except ImportRejected as rejection:
            raise _rejected(rejection) from None
        return Response(ActualImportOutput(result.batch).data, status=status.HTTP_201_CREATED)
