from django.contrib import admin

from onderdak.common.admin import AuditedModelAdmin

from .models import Amenity, Criterion, Site, StageChange, Weight, WeightSet


class StageChangeInline(admin.TabularInline[StageChange, Site]):
    model = StageChange
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "date", "reason", "user"]


@admin.register(Site)
class SiteAdmin(AuditedModelAdmin):
    list_display = ["name", "organisation", "stage", "capacity_places", "neighbourhood"]
    list_filter = ["stage", "organisation"]
    search_fields = ["name", "address"]
    inlines = [StageChangeInline]


@admin.register(Amenity)
class AmenityAdmin(AuditedModelAdmin):
    list_display = ["kind", "name", "organisation"]
    list_filter = ["kind", "organisation"]


@admin.register(Criterion)
class CriterionAdmin(AuditedModelAdmin):
    list_display = ["label", "key", "kind", "direction", "threshold", "active", "organisation"]
    list_filter = ["kind", "organisation"]


class WeightInline(admin.TabularInline[Weight, WeightSet]):
    model = Weight
    extra = 0


@admin.register(WeightSet)
class WeightSetAdmin(AuditedModelAdmin):
    list_display = ["name", "organisation"]
    inlines = [WeightInline]
