from django.contrib import admin

from onderdak.common.admin import AuditedModelAdmin

from .models import Municipality, PopulationCount, Province, Region, RegionMembership


class RegionMembershipInline(admin.TabularInline[RegionMembership, Region]):
    model = RegionMembership
    extra = 0
    autocomplete_fields = ["municipality"]


@admin.register(Province)
class ProvinceAdmin(AuditedModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "province"]
    list_filter = ["province"]
    search_fields = ["code", "name"]
    exclude = ["boundary"]


@admin.register(PopulationCount)
class PopulationCountAdmin(AuditedModelAdmin):
    list_display = ["municipality", "reference_date", "population"]
    list_filter = ["reference_date"]
    search_fields = ["municipality__name", "municipality__code"]


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "region_type"]
    list_filter = ["region_type"]
    search_fields = ["code", "name"]
    inlines = [RegionMembershipInline]
