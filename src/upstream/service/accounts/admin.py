"""The Django admin for users, teams and pathways (administrators only).

The admin's own sign-in form is replaced by Upstream's, so two-factor sign-in and the
lockout apply there too: there is exactly one way to sign in. The site also refuses any
session not verified with a TOTP code (as ``django_otp.admin.OTPAdminSite`` does).

TOTP devices are listed without their secret: django-otp's own admin shows each device's
key and QR code, with which an administrator could copy anyone's second factor, so it is
replaced by one that can only list devices and delete one (when a phone is lost, the user
then sets up a new device at their next sign-in).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import redirect_to_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from upstream.service.accounts.models import Pathway, Team, User


def _sign_in_through_upstream(request, extra_context=None):
    return redirect_to_login(request.GET.get("next") or "/admin/")


_staff_permission = admin.site.has_permission


def _verified_staff(request) -> bool:
    return _staff_permission(request) and request.user.is_verified()


admin.site.login = _sign_in_through_upstream
admin.site.has_permission = _verified_staff

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Whose devices exist and when they were last used; never the key. Delete only."""

    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username",)
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False  # a device's secret is made by its owner's own set-up

    def has_change_permission(self, request, obj=None) -> bool:
        return False


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
    list_display = ("name", "pathway", "caseload_limit", "attempts_prompt_after",
                    "no_response_after_days")
    list_filter = ("pathway",)


@admin.register(Pathway)
class PathwayAdmin(admin.ModelAdmin):
    list_display = ("name", "specialty")
