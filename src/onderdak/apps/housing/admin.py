from django.contrib import admin

from onderdak.common.admin import AuditedModelAdmin

from .models import Complex, Contract, Household, Placement, Unit


class ContractInline(admin.TabularInline[Contract, Complex]):
    model = Contract
    extra = 0


@admin.register(Complex)
class ComplexAdmin(AuditedModelAdmin):
    list_display = ["name", "organisation", "kind", "permit_end"]
    list_filter = ["kind", "organisation"]
    inlines = [ContractInline]


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ["complex", "number", "rooms", "max_occupants", "status"]
    list_filter = ["status", "complex"]


@admin.register(Household)
class HouseholdAdmin(AuditedModelAdmin):
    """Only codes and composition; reading here is not purpose-logged, so only superusers see it."""

    list_display = ["code", "organisation", "target_group", "status", "waiting_since"]
    list_filter = ["status", "target_group"]


@admin.register(Placement)
class PlacementAdmin(AuditedModelAdmin):
    list_display = ["household", "unit", "start", "end"]
