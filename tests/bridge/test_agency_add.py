"""`manage.py agency_add`: a new agency, its first coordinator invited to choose a password on
the agency's own host, and what the operator does next."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from agencies.models import Agency, Membership
from messaging.models import Message

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("agency_add", *args, stdout=out)
    return out.getvalue()


def test_agency_with_a_coordinator_who_chooses_a_password_on_the_agency_s_host(client, settings):
    settings.SITE_URL = "https://bridge.example.org"
    settings.ALLOWED_HOSTS = ["bridge.example.org"]
    out = run(
        "storm-lake",
        "Storm Lake Liaison Unit",
        "--domain",
        "Liaison.StormLake.example.",
        "--sender-email",
        "liaison@stormlake.example",
        "--coordinator",
        "rosa",
        "--email",
        "rosa@stormlake.example",
    )
    agency = Agency.objects.get(slug="storm-lake")
    assert (agency.name, agency.domain) == ("Storm Lake Liaison Unit", "liaison.stormlake.example")
    user = get_user_model().objects.get(username="rosa")
    assert list(user.groups.values_list("name", flat=True)) == ["Coordinator"]
    assert Membership.objects.get(user=user).agency == agency
    assert not user.has_usable_password()

    invitation = Message.all_agencies.get(address="rosa@stormlake.example")
    assert invitation.agency == agency and invitation.holds_secret
    link = re.search(r"https://liaison\.stormlake\.example(/\S+/accounts/reset/\S+/)", invitation.body)
    assert link, invitation.body  # on the agency's own host, where the coordinator signs in
    settings.ALLOWED_HOSTS = ["liaison.stormlake.example"]
    page = client.get(link.group(1), HTTP_HOST="liaison.stormlake.example", follow=True, secure=True)
    assert page.status_code == 200 and b'name="new_password1"' in page.content  # the link works

    assert "Added agency 'storm-lake'" in out and "rosa@stormlake.example" in out
    assert "Point DNS for liaison.stormlake.example" in out
    assert "Add liaison.stormlake.example to ALLOWED_HOSTS" in out


def test_a_sub_domain_agency_already_admitted_by_a_leading_dot(settings):
    settings.BRIDGE_AGENCY_DOMAIN = "bridge.example.org"
    settings.ALLOWED_HOSTS = [".bridge.example.org"]
    out = run("ames", "Ames Liaison Unit")
    assert "ames.bridge.example.org" in out
    assert "ALLOWED_HOSTS already admits ames.bridge.example.org" in out
    assert not get_user_model().objects.filter(agency_membership__agency__slug="ames").exists()


def test_an_agency_with_no_host_name_says_how_to_give_it_one(settings):
    settings.BRIDGE_AGENCY_DOMAIN = ""
    out = run("boone", "Boone Liaison Unit")
    assert "no host name yet" in out and "BRIDGE_AGENCY_DOMAIN" in out


def test_a_taken_slug_adds_nothing(settings):
    run("ames", "Ames Liaison Unit")
    with pytest.raises(CommandError, match="slug"):
        run("ames", "Another Ames", "--coordinator", "lee", "--email", "lee@example.org")
    assert not get_user_model().objects.filter(username="lee").exists()
    assert Agency.objects.filter(slug="ames").count() == 1


def test_coordinator_and_email_go_together():
    with pytest.raises(CommandError, match="go together"):
        run("ames", "Ames Liaison Unit", "--coordinator", "lee")
    assert not Agency.objects.filter(slug="ames").exists()
