"""Issuing tokens (command line and admin), and the API's published documentation."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command

from upstream.service.api.models import ApiClient
from upstream.service.api.tokens import client_for_token, hash_token

pytestmark = pytest.mark.django_db


def test_create_api_client_prints_a_working_token_once(teams, capsys):
    call_command(
        "create_api_client", "Barts EPR",
        "--team", teams.heart.name, "--team", teams.diabetes.name,
    )

    token = capsys.readouterr().out.strip()
    client = ApiClient.objects.get(name="Barts EPR")
    assert set(client.teams.all()) == {teams.heart, teams.diabetes}
    assert client.token_hash == hash_token(token)
    assert client_for_token(token) == client


def test_create_api_client_names_an_unknown_team(teams):
    with pytest.raises(CommandError, match="No team called 'Cardiology'"):
        call_command("create_api_client", "Barts EPR", "--team", "Cardiology")
    assert not ApiClient.objects.exists()


def test_create_api_client_refuses_a_name_in_use(epr, teams):
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_api_client", "Barts EPR", "--team", teams.heart.name)


def test_admin_shows_a_new_clients_token_once_and_can_revoke(admin_client, teams):
    response = admin_client.post(
        "/admin/api/apiclient/add/", {"name": "Homerton EPR", "teams": [teams.heart.pk]},
        follow=True,
    )

    token = re.search(r"The token for Homerton EPR is (\S+) \.", response.content.decode())[1]
    client = ApiClient.objects.get(name="Homerton EPR")
    assert client_for_token(token) == client

    admin_client.post("/admin/api/apiclient/", {
        "action": "revoke_tokens", "_selected_action": [client.pk],
    })

    assert client_for_token(token) is None
    change_page = admin_client.get(f"/admin/api/apiclient/{client.pk}/change/")
    assert token not in change_page.content.decode()


def test_openapi_document_describes_every_operation(client):
    document = client.get("/api/v1/openapi.json").json()

    operations = {
        (method.upper(), path) for path, item in document["paths"].items() for method in item
    }
    assert operations == {
        ("POST", "/api/v1/referrals"), ("GET", "/api/v1/referrals"),
        ("GET", "/api/v1/referrals/{referral_id}"), ("GET", "/api/v1/teams"),
    }
    assert document["components"]["securitySchemes"] == {
        "ClientToken": {"type": "http", "scheme": "bearer"}
    }
    person = document["components"]["schemas"]["PersonIn"]["properties"]
    assert "Modulus 11" in person["nhs_number"]["description"]
    assert person["given_name"]["examples"] == ["Alex"]


def test_docs_page_uses_local_assets_only(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en-GB">' in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(asset.startswith("/static/ninja/") for asset in assets)
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset
    assert "<script>" not in html  # nothing inline for the Content Security Policy to block
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
