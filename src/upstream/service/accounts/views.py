"""Signing in and out."""

from django.contrib.auth import views as auth_views
from django.views.decorators.http import require_POST

from upstream.service.accounts.access import allow, public
from upstream.service.accounts.models import Role

login = public(auth_views.LoginView.as_view(template_name="accounts/login.jinja"))
logout = allow(*Role.values)(require_POST(auth_views.LogoutView.as_view()))
