"""API clients in Django admin. A new client's token is shown once, in the confirmation message."""

from django.contrib import admin, messages

from upstream.service.api.models import ApiClient
from upstream.service.api.tokens import revoke, set_token


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "token_prefix", "created_at", "last_used_at", "revoked"]
    list_filter = ["revoked", "teams"]
    search_fields = ["name", "token_prefix"]
    filter_horizontal = ["teams"]
    readonly_fields = ["token_prefix", "created_at", "last_used_at"]
    actions = ["revoke_tokens"]

    def save_model(self, request, obj, form, change):
        token = None if change else set_token(obj)
        super().save_model(request, obj, form, change)
        if token:
            messages.warning(
                request,
                f"The token for {obj.name} is {token} . Copy it now: it will not be shown again.",
            )

    @admin.action(description="Revoke the selected clients' tokens")
    def revoke_tokens(self, request, queryset):
        for client in queryset:
            revoke(client)
        messages.success(request, f"Revoked {queryset.count()} token(s).")
