"""The audit trail for administrators: list with search and export, and one entry in full."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from onderdak.apps.accounts.selectors import is_administrator
from onderdak.common.tables import Column, table_or_export

from . import selectors
from .labels import type_label
from .models import AuditEntry


def _summary(entry: AuditEntry) -> str:
    """What changed, in a few words: the changed fields; what a delete took with it."""
    parts = [", ".join(entry.changed_fields())]
    if entry.deleted_count:
        parts.append(
            ngettext(
                "%(count)s record deleted with it",
                "%(count)s records deleted with it",
                entry.deleted_count,
            )
            % {"count": number_format(entry.deleted_count, force_grouping=True)}
        )
    return "; ".join(part for part in parts if part)


COLUMNS = (
    Column("timestamp", _("Time"), lambda e: e.timestamp, "timestamp"),
    Column("actor", _("User"), lambda e: e.actor_name, "actor_name"),
    Column("action", _("Action"), lambda e: e.get_action_display(), "action"),
    Column("object_type", _("Object type"), lambda e: e.type_label, "object_type"),
    Column("object", _("Object"), lambda e: e.object_repr, "object_repr"),
    Column("changes", _("Changes"), _summary),
    Column(
        "organisation",
        _("Organisation"),
        lambda e: e.organisation.name if e.organisation else "",
        "organisation__name",
    ),
)


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not is_administrator(request.user):
        raise PermissionDenied
    state, export = table_or_export(
        request,
        selectors.audit_list(user=request.user),
        columns=COLUMNS,
        search_fields=("actor_name", "object_repr", "object_type"),
        default_sort="-timestamp",
        export_name="audittrail",
        page_size=50,
    )
    if export:
        return export
    return render(request, "audit/audit_list.html", {"table": state})


@login_required
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_administrator(request.user):
        raise PermissionDenied
    try:
        entry = selectors.audit_list(user=request.user).get(pk=pk)
    except AuditEntry.DoesNotExist:
        raise Http404 from None
    return render(request, "audit/audit_detail.html", {"entry": selectors.describe(entry)})


#: How a personal-data read happened, in the user's words.
ACCESS_ACTIONS = {
    "list": _("shown in a list"),
    "read": _("shown"),
    "export": _("exported"),
    "api": _("read through the API"),
}

ACCESS_COLUMNS = (
    Column("timestamp", _("Time"), lambda e: e.timestamp, "timestamp"),
    Column("actor", _("User"), lambda e: e.actor_name, "actor_name"),
    Column("action", _("Action"), lambda e: ACCESS_ACTIONS.get(e.action, e.action), "action"),
    Column("object_type", _("Object type"), lambda e: type_label(e.object_type), "object_type"),
    Column(
        "count",
        _("Records"),
        lambda e: len([i for i in e.object_ids.split(",") if i]),
        None,
        numeric=True,
    ),
    Column("purpose", _("Purpose"), lambda e: e.purpose, "purpose"),
)


@login_required
def access_list(request: HttpRequest) -> HttpResponse:
    """Every read of personal data with its purpose (households), for administrators."""
    if not is_administrator(request.user):
        raise PermissionDenied
    state, export = table_or_export(
        request,
        selectors.access_list(user=request.user),
        columns=ACCESS_COLUMNS,
        search_fields=("actor_name", "purpose", "object_type", "object_ids"),
        default_sort="-timestamp",
        export_name="inzage-persoonsgegevens",
        page_size=50,
    )
    if export:
        return export
    return render(request, "audit/access_list.html", {"table": state})
