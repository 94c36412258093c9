from __future__ import annotations

from typing import Any

from django import forms
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["task_field"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = task_field_choices()
        organisation_id = self.instance.service.organisation_id
        partner = self.fields["partner"]
        contract = self.fields["contract"]
        assert isinstance(partner, forms.ModelChoiceField)
        assert isinstance(contract, forms.ModelChoiceField)
        partner.queryset = Partner.objects.filter(organisation_id=organisation_id)
        contract.queryset = Contract.objects.filter(
            partner__organisation_id=organisation_id
        ).select_related("partner")

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

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Service.objects.filter(organisation_id=organisation_id)

    def _post_clean(self) -> None:  # validated in the service (needs the partner set)
        return None


class IntegrationCaseForm(forms.ModelForm[IntegrationCase]):
    modules = forms.MultipleChoiceField(
        label=_("Modules"),
        choices=IntegrationModule.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = IntegrationCase
        fields = ["code", *CASE_FIELDS]
        widgets = {
            "linked_on": DATE,
            "broad_intake_on": DATE,
            "pip_on": DATE,
            "term_start": DATE,
            "relief_start": DATE,
            "completed_on": DATE,
        }

    def __init__(self, *args: Any, organisation_id: int, households: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        household = self.fields["household"]
        provider = self.fields["provider"]
        assert isinstance(household, forms.ModelChoiceField)
        assert isinstance(provider, forms.ModelChoiceField)
        household.queryset = households
        provider.queryset = Partner.objects.filter(organisation_id=organisation_id)
        if self.instance.pk:
            self.fields["code"].disabled = True

    def _post_clean(self) -> None:  # validated in the service (needs the organisation set)
        return None
