"""Administrators link VCSE partner users to the directory organisations they work for."""

from django.contrib import admin

from .models import PartnerMembership


@admin.register(PartnerMembership)
class PartnerMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization"]
    raw_id_fields = ["user", "organization"]
    search_fields = ["user__username", "organization__name"]
