"""Read-only admin for the directory: records change through imports (and, later, partners'
updates), never by hand in the admin."""

from django.contrib import admin

from . import models


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Service)
class ServiceAdmin(ReadOnlyAdmin):
    list_display = ("name", "organization", "status", "provision_type", "accepting_referrals",
                    "last_verified", "needs_attention", "feed")
    list_filter = ("status", "provision_type", "needs_attention", "feed")
    search_fields = ("name", "description", "original_id")


@admin.register(models.Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ("name", "is_placeholder", "needs_attention", "feed")
    list_filter = ("is_placeholder", "needs_attention", "feed")
    search_fields = ("name", "original_id")


@admin.register(models.Feed)
class FeedAdmin(ReadOnlyAdmin):
    list_display = ("name", "source", "created_at")


@admin.register(models.ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ("feed", "source_format", "started_at", "finished_at", "report_path")


for _model in models.HSDS_TABLES.values():
    if not admin.site.is_registered(_model):
        admin.site.register(_model, ReadOnlyAdmin)
