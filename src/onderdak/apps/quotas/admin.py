from django.contrib import admin

from onderdak.common.admin import AuditedModelAdmin

from .models import MunicipalQuota, PopulationOverride, QuotaRound, Realisation


@admin.register(QuotaRound)
class QuotaRoundAdmin(AuditedModelAdmin):
    list_display = [
        "name",
        "target_group",
        "period_start",
        "period_end",
        "national_total_initial",
        "national_total_final",
    ]
    list_filter = ["target_group"]
    search_fields = ["name", "source_title"]


@admin.register(MunicipalQuota)
class MunicipalQuotaAdmin(AuditedModelAdmin):
    list_display = ["round", "municipality", "computed", "official", "opening_carry"]
    list_filter = ["round"]
    search_fields = ["municipality__name", "municipality__code"]
    autocomplete_fields = ["municipality"]


@admin.register(Realisation)
class RealisationAdmin(AuditedModelAdmin):
    list_display = ["date", "organisation", "target_group", "amount", "unit", "reference"]
    list_filter = ["target_group", "organisation"]
    search_fields = ["reference", "note"]


@admin.register(PopulationOverride)
class PopulationOverrideAdmin(AuditedModelAdmin):
    """Art. 30 Huisvestingswet 2014: the population a province fixed (audited like every change)."""

    list_display = ["municipality", "reference_date", "population", "source"]
    list_filter = ["reference_date"]
    search_fields = ["municipality__name", "municipality__code", "source"]
    autocomplete_fields = ["municipality"]
