"""Forms shared by every app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from onderdak.common.validation import messages_by_field

T = TypeVar("T")


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, extensions: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.extensions = extensions
        self.fields["file"].help_text = _("Accepted: %(types)s") % {"types": ", ".join(extensions)}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        if not upload.name.lower().endswith(self.extensions):
            raise forms.ValidationError(
                _("Use one of: %(types)s") % {"types": ", ".join(self.extensions)}
            )
        return upload


def add_model_errors(form: forms.BaseForm, error: Any) -> None:
    """Show a model ``ValidationError`` raised by a service on the form (field or whole form)."""
    for name, texts in messages_by_field(error).items():
        target = name if name in form.fields else None
        for text in texts:
            form.add_error(target, text)


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    write: Callable[[dict[str, Any]], T],
    *,
    success: str,
) -> T | None:
    """On a valid POST run ``write`` (a service) with a copy of the cleaned data and flash
    ``success``; a model ``ValidationError`` from the service is shown on the form (nothing was
    written: services are atomic). ``None``: show the form (again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = write(dict(form.cleaned_data))
    except ValidationError as error:
        add_model_errors(form, error)
        return None
    messages.success(request, success)
    return result


def offer_organisations(form: forms.BaseForm, organisations: Any) -> None:
    """Limit the form's ``organisation`` field to ``organisations`` (those the user may write
    for): fixed once the record exists, preselected when there is only one."""
    field = form.fields["organisation"]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = organisations
    if getattr(getattr(form, "instance", None), "pk", None):
        field.disabled = True
    elif organisations.count() == 1:
        field.initial = organisations.first()


def object_id(raw: str | None) -> int | None:
    """The id in a query-string or form value (``?locatie=12``), or ``None`` when it is not a
    whole number a database key can hold; look it up through the scoped selector next."""
    if raw is None or not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return None
    return int(raw)
