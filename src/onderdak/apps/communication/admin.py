from django.contrib import admin

from onderdak.common.admin import AuditedModelAdmin

from .models import CommunicationPlan, Moment, Stakeholder


@admin.register(Stakeholder)
class StakeholderAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "organisation", "influence", "interest"]
    list_filter = ["kind", "organisation"]
    search_fields = ["name"]


@admin.register(CommunicationPlan)
class CommunicationPlanAdmin(AuditedModelAdmin):
    list_display = ["track", "organisation", "status"]
    list_filter = ["status", "organisation"]


@admin.register(Moment)
class MomentAdmin(AuditedModelAdmin):
    list_display = ["date", "title", "kind", "organisation", "status"]
    list_filter = ["kind", "status", "organisation"]
    search_fields = ["title"]
