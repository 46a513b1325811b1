"""Coordinators manage subscribers and the outbox in the admin, where community members'
addresses are masked; opening one subscriber shows the address and leaves an audit entry."""

import pytest

from audit import events
from audit.models import Entry
from messaging.models import Message
from messaging.privacy import address_masked
from tests.factories import SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client, role_user):
    client.force_login(role_user("Coordinator", is_staff=True))
    return client


def test_address_masked_keeps_enough_to_recognise_not_to_contact():
    assert address_masked("layla@example.org") == "l•••@example.org"
    assert address_masked("+14125550100") == "+1••••••0100"
    assert address_masked("") == ""


def test_subscriber_list_masks_addresses_and_opening_one_is_audited(coordinator_client):
    subscriber = SubscriberFactory(email="layla@example.org")
    listing = coordinator_client.get("/admin/outreach/subscriber/").content.decode()
    assert "layla@example.org" not in listing and "l•••@example.org" in listing
    assert not Entry.objects.filter(event=events.SUBSCRIBER_DETAILS_VIEWED).exists()
    page = coordinator_client.get(f"/admin/outreach/subscriber/{subscriber.pk}/change/")
    assert "layla@example.org" in page.content.decode()
    entry = Entry.objects.get(event=events.SUBSCRIBER_DETAILS_VIEWED)
    assert entry.object_pk == str(subscriber.pk) and "layla" not in entry.object_repr


def test_outbox_admin_never_shows_a_full_address(coordinator_client):
    message = Message.objects.create(
        key="concern:1:status:1:submitter",
        channel="email",
        address="layla@example.org",
        language="ar",
        body="x",
    )
    for url in ("/admin/messaging/message/", f"/admin/messaging/message/{message.pk}/change/"):
        html = coordinator_client.get(url).content.decode()
        assert "layla@example.org" not in html, url
        assert "l•••@example.org" in html, url


def test_subscriber_edits_and_deletes_in_the_admin_are_audited_without_the_address(
    coordinator_client, role_user
):
    from tests.factories import CommunityFactory

    subscriber = SubscriberFactory(email="layla@example.org")
    community = CommunityFactory()
    response = coordinator_client.post(
        f"/admin/outreach/subscriber/{subscriber.pk}/change/",
        {"language": "ar", "communities": [str(community.pk)], "wants_meetings": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from django.contrib.contenttypes.models import ContentType

    mine = {"content_type": ContentType.objects.get_for_model(subscriber), "object_pk": str(subscriber.pk)}
    updated = Entry.objects.get(event=events.RECORD_UPDATED, **mine)
    assert "language" in updated.data["fields"] and "layla" not in str(updated.data) + updated.object_repr
    coordinator_client.post(f"/admin/outreach/subscriber/{subscriber.pk}/delete/", {"post": "yes"})
    assert Entry.objects.filter(event=events.RECORD_DELETED, **mine).exists()
