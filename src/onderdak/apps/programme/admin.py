from django.contrib import admin

from onderdak.common.admin import AuditedModelAdmin

from .models import Decision


@admin.register(Decision)
class DecisionAdmin(AuditedModelAdmin):
    list_display = ["decided_on", "title", "organisation", "track", "shared"]
    list_filter = ["track", "body", "organisation"]
    search_fields = ["title", "summary"]
