from django.contrib import admin

from onderdak.common.admin import AuditedModelAdmin

from .models import Agreement, AgreementLine, Scenario, ScenarioEntry, ScenarioGroup, ScenarioResult


class AgreementLineInline(admin.TabularInline[AgreementLine, Agreement]):
    model = AgreementLine
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(AuditedModelAdmin):
    list_display = ["title", "region", "status", "agreed_on", "approved_on"]
    list_filter = ["status", "region"]
    inlines = [AgreementLineInline]


class ScenarioGroupInline(admin.TabularInline[ScenarioGroup, Scenario]):
    model = ScenarioGroup
    extra = 0


class ScenarioEntryInline(admin.TabularInline[ScenarioEntry, Scenario]):
    model = ScenarioEntry
    extra = 0


@admin.register(Scenario)
class ScenarioAdmin(AuditedModelAdmin):
    list_display = ["name", "region", "mode", "created_at"]
    list_filter = ["region", "mode"]
    inlines = [ScenarioGroupInline, ScenarioEntryInline]


@admin.register(ScenarioResult)
class ScenarioResultAdmin(admin.ModelAdmin[ScenarioResult]):
    list_display = ["scenario", "solved_at", "status", "total_cost"]
    readonly_fields = [
        "scenario",
        "status",
        "reason",
        "total_cost",
        "baseline_cost",
        "solution",
        "input",
        "seconds",
    ]
