"""The API tokens page: made with a fresh second-factor code, shown once, revoked by its
owner or a coordinator, each step on the audit trail."""

import time

import pytest

from api.models import AccessToken
from audit import events
from audit.models import Entry
from bridge.staff.views import RECENT_KEY
from tests.conftest import totp_code, totp_device

pytestmark = pytest.mark.django_db
PAGE = "/en/accounts/api-tokens/"


def _stale(client):
    session = client.session
    session[RECENT_KEY] = int(time.time()) - 6 * 60
    session.save()


def _fresh(client, user):
    client.post("/en/accounts/mfa/", {"token": totp_code(totp_device(user)), "again": "1", "next": PAGE})


def test_making_a_token_needs_a_fresh_code_and_keeps_what_was_typed(client, role_user):
    user = role_user("Commander")
    client.force_login(user)
    _stale(client)
    page = client.get(PAGE).content.decode()
    assert "confirm it is you with a code" in page and "again=1" in page
    refused = client.post(PAGE, {"name": "Precinct sheet", "scopes": ["figures:read"], "days": "30"})
    assert refused.status_code == 403 and 'value="Precinct sheet"' in refused.content.decode()
    assert not AccessToken.objects.exists()
    _fresh(client, user)
    made = client.post(PAGE, {"name": "Precinct sheet", "scopes": ["figures:read"], "days": "30"})
    assert made.status_code == 200
    secret = made.context["secret"]
    assert secret.startswith("bridge_") and secret in made.content.decode()
    token = AccessToken.objects.get()
    assert token.user == user and token.scopes == ["figures:read"]
    # Shown once: the list shows only its first characters.
    listed = client.get(PAGE).content.decode()
    assert token.prefix in listed and secret not in listed
    assert client.get("/api/v1/figures/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def test_the_form_offers_only_the_scopes_of_the_role(client, role_user):
    user = role_user("Commander")
    client.force_login(user)
    _fresh(client, user)
    page = client.get(PAGE).content.decode()
    assert 'value="figures:read"' in page and 'value="contacts:write"' not in page
    response = client.post(PAGE, {"name": "x", "scopes": ["contacts:write"], "days": "30"})
    assert response.status_code == 400 and not AccessToken.objects.exists()


def test_owner_and_coordinator_revoke_others_cannot(client, role_user):
    from api.services import token_create

    owner, other, coordinator = role_user("Commander"), role_user("Commander"), role_user("Coordinator")
    token, secret = token_create(actor=owner, name="Sheet", scopes=["figures:read"], days=30)
    client.force_login(other)
    assert client.post(f"{PAGE}{token.pk}/revoke/").status_code == 404
    assert token.__class__.objects.get().revoked_at is None
    client.force_login(coordinator)
    listed = client.get(PAGE).content.decode()
    assert "Sheet" in listed and "Every member of staff" in listed
    assert client.post(f"{PAGE}{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == coordinator
    assert client.get("/api/v1/figures/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    entry = Entry.objects.get(event=events.API_TOKEN_REVOKED)
    assert entry.actor == coordinator and secret not in str(entry.data)
