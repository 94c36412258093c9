"""Forms shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onderdak.common.validation import messages_by_field


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
