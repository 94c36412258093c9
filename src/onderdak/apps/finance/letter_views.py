"""Pages of the quarterly letter (``/financien/kwartaalbrieven/``): list, the letter with its
commentary form, the adoption with a confirmation page, Word and Excel downloads; and the Iv3
page. Thin views over ``letter`` and ``iv3``."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from onderdak.apps.accounts.selectors import may_manage_finance, user_organisations
from onderdak.common.exports import download
from onderdak.common.urls import reverse

from . import charts, iv3
from . import letter as letters
from .costs_views import _organisation, _year
from .letter_docx import letter_docx
from .letter_xlsx import letter_xlsx
from .models import QuarterlyLetter


class NewLetterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(q, f"Q{q}") for q in (1, 2, 3, 4)], coerce=int
    )


def _url(item: QuarterlyLetter) -> str:
    return (
        reverse("finance:letter", args=[item.year, item.quarter])
        + f"?organisatie={item.organisation_id}"
    )


@login_required
def letter_list(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    manage = may_manage_finance(request.user, organisation.pk)
    form = NewLetterForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                item = letters.letter_create(
                    actor=request.user,
                    organisation=organisation,
                    year=form.cleaned_data["year"],
                    quarter=form.cleaned_data["quarter"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect(_url(item))
    return render(
        request,
        "finance/letters.html",
        {
            "organisation": organisation,
            "organisations": list(user_organisations(request.user).order_by("name")),
            "letters": [
                (item, _url(item))
                for item in letters.letter_list(user=request.user, organisation_id=organisation.pk)
            ],
            "form": form,
            "manage": manage,
        },
    )


def _letter(request: HttpRequest, year: int, quarter: int) -> QuarterlyLetter:
    organisation = _organisation(request)
    try:
        return letters.letter_get(
            user=request.user, organisation_id=organisation.pk, year=year, quarter=quarter
        )
    except QuarterlyLetter.DoesNotExist:
        raise Http404 from None


@login_required
def letter_detail(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    item = _letter(request, year, quarter)
    error = ""
    if request.method == "POST":
        texts = {
            str(track): request.POST.get(f"commentary_{track}", "") for track in letters.TRACKS
        }
        try:
            letters.commentary_update(actor=request.user, letter=item, texts=texts)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect(_url(item))
    view = letters.letter_view(user=request.user, letter=item)
    return render(
        request,
        "finance/letter.html",
        {
            "view": view,
            "item": item,
            "error": error or view.error,
            "url": _url(item),
            "chart": charts.monthly_chart(view.figures.get("monthly", [])),
        },
    )


@login_required
def letter_adopt(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    """GET: the confirmation page with what will be frozen; POST: adopt."""
    item = _letter(request, year, quarter)
    letters.require_letter_manager(request.user, item)
    error = ""
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            letters.letter_adopt(actor=request.user, letter=item)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect(_url(item))
    view = letters.letter_view(user=request.user, letter=item)
    return render(
        request,
        "finance/letter_adopt.html",
        {"view": view, "item": item, "error": error or view.error, "url": _url(item)},
    )


@login_required
def letter_download(request: HttpRequest, year: int, quarter: int, fmt: str) -> HttpResponse:
    if fmt not in ("docx", "xlsx"):
        raise Http404
    item = _letter(request, year, quarter)
    view = letters.letter_view(user=request.user, letter=item)
    name = f"kwartaalbrief-{year}-q{quarter}"
    content = letter_docx(view) if fmt == "docx" else letter_xlsx(view)
    return download(content, f"{name}.{fmt}")


@login_required
def iv3_page(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    year = _year(request)
    raw = request.GET.get("kwartaal", "")
    quarter = int(raw) if raw in ("1", "2", "3", "4") else 4
    report = iv3.iv3_report(
        user=request.user, organisation_id=organisation.pk, year=year, quarter=quarter
    )
    fmt = iv3.requested_export(request)
    if fmt:
        return iv3.export(report, fmt)
    return render(
        request,
        "finance/iv3.html",
        {
            "organisation": organisation,
            "organisations": list(user_organisations(request.user).order_by("name")),
            "year": year,
            "quarter": quarter,
            "quarters": (1, 2, 3, 4),
            "report": report,
        },
    )
