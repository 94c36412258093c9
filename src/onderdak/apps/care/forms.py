from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from onderdak.common.vocabulary import TargetGroup, task_field_choices

from .models import (
    Contact,
    Contract,
    IntegrationCase,
    IntegrationModule,
    Ownership,
    Partner,
    Service,
)
from .services import (
    CASE_FIELDS,
    CONTRACT_FIELDS,
    OWNERSHIP_FIELDS,
    PARTNER_FIELDS,
    SERVICE_FIELDS,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceForm(forms.ModelForm[Service]):
    target_groups = forms.MultipleChoiceField(
        label=_("Entitled target groups"),
        choices=TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    task_field = forms.ChoiceField(label=_("BBV task field"), required=False, choices=())

    class Meta:
        model = Service
        fields = ["code", *SERVICE_FIELDS]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "rule": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["task_field"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = task_field_choices()
        if self.instance.pk:
            self.fields["code"].disabled = True


class RetireForm(forms.Form):
    on = forms.DateField(label=_("Retired on"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class OwnershipForm(forms.ModelForm[Ownership]):
    task_field = forms.ChoiceField(label=_("BBV task field"), required=False, choices=())

    class Meta:
        model = Ownership
        fields = list(OWNERSHIP_FIELDS)
        widgets = {"review_date": DATE, "evidence": forms.Textarea(attrs={"rows": 3})}

    def __init__(
        self, *args: Any, partners: QuerySet[Partner], contracts: QuerySet[Contract], **kwargs: Any
    ) -> None:
        """``partners`` and ``contracts``: what the user may see of the service's organisation
        (``selectors.provider_choices``, ``selectors.contract_choices``)."""
        super().__init__(*args, **kwargs)
        field = self.fields["task_field"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = task_field_choices()
        partner = self.fields["partner"]
        contract = self.fields["contract"]
        assert isinstance(partner, forms.ModelChoiceField)
        assert isinstance(contract, forms.ModelChoiceField)
        partner.queryset = partners
        contract.queryset = contracts.select_related("partner")

    def validate_unique(self) -> None:  # the service enforces it; the cell exists already
        return None


class PartnerForm(forms.ModelForm[Partner]):
    class Meta:
        model = Partner
        fields = list(PARTNER_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ContactForm(forms.ModelForm[Contact]):
    class Meta:
        model = Contact
        fields = ["name", "role", "email", "phone"]


class ContractForm(forms.ModelForm[Contract]):
    class Meta:
        model = Contract
        fields = list(CONTRACT_FIELDS)
        widgets = {"start": DATE, "end": DATE}

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = services

    def _post_clean(self) -> None:  # validated in the service (needs the partner set)
        return None


class IntegrationCaseForm(forms.ModelForm[IntegrationCase]):
    #: The id of the household; the service checks it (the rule for forms and the API).
    household = forms.TypedChoiceField(
        label=_("household"), required=False, coerce=int, empty_value=None, choices=()
    )
    modules = forms.MultipleChoiceField(
        label=_("Modules"),
        choices=IntegrationModule.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    correct_first_pip = forms.BooleanField(
        label=_("Correct a mistyped date of the first PIP"),
        required=False,
        help_text=_(
            "Only for a typing error: a revised or newly set plan does not change this date."
        ),
    )

    class Meta:
        model = IntegrationCase
        fields = ["code", *CASE_FIELDS]
        widgets = {
            "linked_on": DATE,
            "duo_notified_on": DATE,
            "brp_registered_on": DATE,
            "broad_intake_on": DATE,
            "pip_on": DATE,
            "pip_revised_on": DATE,
            "term_start": DATE,
            "relief_start": DATE,
            "completed_on": DATE,
        }

    def __init__(
        self, *args: Any, households: list[Any], providers: QuerySet[Partner], **kwargs: Any
    ) -> None:
        """``households`` and ``providers``: what the user may link a case to
        (``selectors.household_choices``, ``selectors.provider_choices``)."""
        super().__init__(*args, **kwargs)
        household = self.fields["household"]
        provider = self.fields["provider"]
        assert isinstance(household, forms.TypedChoiceField)
        assert isinstance(provider, forms.ModelChoiceField)
        household.choices = [("", "---------"), *((h.pk, h.code) for h in households)]
        provider.queryset = providers
        if self.instance.pk:
            self.fields["code"].disabled = True
        if not (self.instance.pk and self.instance.pip_on):
            del self.fields["correct_first_pip"]  # nothing to correct yet

    def _post_clean(self) -> None:  # validated in the service (needs the organisation set)
        return None
