"""Sign-ins and failed sign-ins go into the audit log. Passwords never do: only the username."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from upstream.service.audit.models import Action
from upstream.service.audit.services import record


@receiver(user_logged_in, dispatch_uid="audit-login")
def audit_login(sender, request, user, **kwargs):
    record(request if request is not None else user, Action.LOGIN, user)


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    record(request, Action.LOGIN_FAILED, record_type="accounts.user",
           actor_label=username, detail=str(credentials.get("step", "password"))[:40])
