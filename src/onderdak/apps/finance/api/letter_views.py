"""API of the quarterly letter: the list of letters and one letter's figures (frozen once
adopted, with the differences against today's). Letters the user may not read answer 404."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from onderdak.apps.accounts.selectors import primary_organisation
from onderdak.apps.finance import letter as letters
from onderdak.apps.finance import selectors
from onderdak.apps.finance.models import QuarterlyLetter

from .letter_serializers import LetterSerializer, LetterSummarySerializer

ORGANISATION = OpenApiParameter(
    "organisation",
    OpenApiTypes.INT,
    description="Id of an organisation the user is a member of (default: the user's first).",
)


def _organisation_id(request: Request) -> int:
    raw = request.query_params.get("organisation", "")
    if raw:
        if not raw.isdigit() or not selectors.may_read_finance(request.user, int(raw)):
            raise Http404
        return int(raw)
    organisation = primary_organisation(request.user)
    if organisation is None:
        raise Http404
    return organisation.pk


class LetterListView(APIView):
    @extend_schema(parameters=[ORGANISATION], responses=LetterSummarySerializer(many=True))
    def get(self, request: Request) -> Response:
        items = letters.letter_list(user=request.user, organisation_id=_organisation_id(request))
        return Response(LetterSummarySerializer(items, many=True).data)


class LetterDetailView(APIView):
    @extend_schema(parameters=[ORGANISATION], responses=LetterSerializer)
    def get(self, request: Request, year: int, quarter: int) -> Response:
        try:
            item = letters.letter_get(
                user=request.user,
                organisation_id=_organisation_id(request),
                year=year,
                quarter=quarter,
            )
        except QuarterlyLetter.DoesNotExist:
            raise Http404 from None
        view = letters.letter_view(user=request.user, letter=item)
        as_of = view.figures.get("as_of")
        data: dict[str, Any] = {
            "year": item.year,
            "quarter": item.quarter,
            "status": item.status,
            "adopted_on": item.adopted_on,
            "as_of": date.fromisoformat(as_of) if as_of else None,
            "sections": [
                {
                    "track": s.track,
                    "commentary": s.commentary,
                    "lines": [{**x, "proposed": x.get("proposed") or None} for x in s.lines],
                }
                for s in view.sections
            ],
            "differences": view.differences,
        }
        return Response(LetterSerializer(data).data)
