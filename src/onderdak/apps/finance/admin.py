from django.contrib import admin

from onderdak.common.admin import AuditedModelAdmin

from .models import ActualImport, BudgetAmendment, BudgetLine, LedgerMapping, Rate


@admin.register(Rate)
class RateAdmin(AuditedModelAdmin):
    list_display = ["scheme", "valid_from", "amount", "unit", "organisation", "national"]
    list_filter = ["unit", "national", "organisation"]
    search_fields = ["scheme", "name"]


class BudgetAmendmentInline(admin.TabularInline[BudgetAmendment, BudgetLine]):
    model = BudgetAmendment
    extra = 0


@admin.register(BudgetLine)
class BudgetLineAdmin(AuditedModelAdmin):
    list_display = ["year", "task_field", "track", "direction", "description", "amount"]
    list_filter = ["year", "direction", "organisation"]
    inlines = [BudgetAmendmentInline]


@admin.register(LedgerMapping)
class LedgerMappingAdmin(AuditedModelAdmin):
    list_display = ["account", "task_field", "track", "direction", "organisation"]
    list_filter = ["organisation"]


@admin.register(ActualImport)
class ActualImportAdmin(AuditedModelAdmin):
    list_display = ["organisation", "period_start", "period_end", "filename", "rows"]
    list_filter = ["organisation"]
