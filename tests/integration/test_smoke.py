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
