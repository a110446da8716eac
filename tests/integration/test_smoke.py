"""The service starts, answers its health check and serves the sign-in page."""

import pytest


@pytest.mark.django_db
def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_sign_in_page_renders_with_nhsuk_styles(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "nhsuk-frontend-service.min.css" in html
    assert "Sign in to Upstream" in html


def test_every_model_change_has_its_migration(db):
    """``makemigrations --check`` exits non-zero when a model and its migrations disagree."""
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
