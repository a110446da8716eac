"""The Django admin for users, teams and pathways (administrators only).

The admin's own sign-in form is replaced by Upstream's, so two-factor sign-in and the
lockout apply there too: there is exactly one way to sign in.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import redirect_to_login

from upstream.service.accounts.models import Pathway, Team, User


def _sign_in_through_upstream(request, extra_context=None):
    return redirect_to_login(request.GET.get("next") or "/admin/")


admin.site.login = _sign_in_through_upstream


@admin.register(User)
class UpstreamUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_active", "is_staff")
    list_filter = ("role", "is_active", "is_staff", "teams")
    fieldsets = (*UserAdmin.fieldsets, ("Upstream", {"fields": ("role", "job_title",
                                                                 "organisation", "teams")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Upstream", {"fields": ("role", "teams")}))
    filter_horizontal = ("teams", "groups", "user_permissions")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "pathway", "caseload_limit", "attempts_prompt_after")
    list_filter = ("pathway",)


@admin.register(Pathway)
class PathwayAdmin(admin.ModelAdmin):
    list_display = ("name", "specialty")
