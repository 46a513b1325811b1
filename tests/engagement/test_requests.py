"""Engagement requests as commanders, the coordinator and liaisons meet them: raised, assigned,
engaged, followed up and closed, with what was done linked and the history kept."""

import datetime as dt

import pytest
from django.utils import timezone

from audit.models import Entry
from engagement import selectors, services
from engagement.models import EngagementRequest, RequestStep
from messaging.models import Message
from outreach.models import SafetyAlert
from tests.factories import ContactFactory, LiaisonFactory, OutreachEventFactory

from .helpers import client_for, speaker

pytestmark = pytest.mark.django_db


def _raise(client, communities, **extra):
    data = {
        "kind": "crime_pattern",
        "subject": "Robberies in the lobby of 40 Murray Avenue",
        "communities": [c.pk for c in communities],
        "languages": ["zh"],
        "urgency": "1",
        "place": "40 Murray Avenue",
        "details": "Older residents robbed coming home in the evening.",
        **extra,
    }
    return client.post("/en/requests/new/", data)


def _request(world, **kwargs) -> EngagementRequest:
    return services.request_raise(
        actor=world["commander"],
        kind="crime_pattern",
        subject=kwargs.pop("subject", "Robberies in a building"),
        communities=kwargs.pop("communities", [world["building"]]),
        languages=kwargs.pop("languages", ["zh"]),
        urgency=kwargs.pop("urgency", 1),
        **kwargs,
    )


def _alert(user) -> SafetyAlert:
    return SafetyAlert.objects.create(
        kind="pattern",
        title="Robberies around Murray Avenue",
        title_en="Robberies around Murray Avenue",
        body="Older residents were robbed in building lobbies in the evening.",
        area="around Murray Avenue",
        status=SafetyAlert.Status.SENT,
        sent_at=timezone.now(),
        drafted_by=user,
    )


def test_request_from_a_commander_through_every_state_with_what_was_done_linked(world):
    commander, coordinator, wei = world["commander"], world["coordinator"], world["wei"]
    boss = client_for(commander)
    response = _raise(boss, [world["building"]])
    req = EngagementRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/requests/{req.pk}/"
    assert req.status == "requested" and req.requested_by == commander and req.languages == ["zh"]
    page = boss.get(f"/en/requests/{req.pk}/").content.decode()
    assert "Robberies in the lobby of 40 Murray Avenue" in page and "Nobody yet" in page

    coord = client_for(coordinator)
    assert (
        coord.post(
            f"/en/requests/{req.pk}/assign/", {"liaisons": [wei.pk], "note": "Bring Cantonese"}
        ).status_code
        == 302
    )
    req.refresh_from_db()
    assert req.status == "assigned" and req.assigned_at is not None and list(req.liaisons.all()) == [wei]

    liaison = client_for(wei.user)
    assert "Robberies" in liaison.get("/en/requests/").content.decode()
    # The liaison logs the building meeting for the request: one submit logs and links it.
    response = liaison.post(
        f"/en/requests/{req.pk}/contact/",
        {
            "date": timezone.localdate().isoformat(),
            "kind": "formal_meeting",
            "communities": [world["building"].pk],
            "people_reached": "23",
            "language": "zh",
            "interpreter_used": "on",
            "interpreter_detail": "Language line",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    req.refresh_from_db()
    contact = req.contacts.get()
    assert contact.liaison == wei and contact.people_reached == 23
    assert req.first_engaged_at is not None and req.first_engaged_at >= req.requested_at

    assert liaison.post(f"/en/requests/{req.pk}/move/", {"status": "engaged"}).status_code == 302
    event = OutreachEventFactory(status="published", communities=[world["building"]], hosts=[wei])
    alert = _alert(coordinator)
    response = liaison.post(f"/en/requests/{req.pk}/link/", {"events": [event.pk], "alerts": [alert.pk]})
    assert response.status_code == 302
    assert (
        liaison.post(
            f"/en/requests/{req.pk}/move/", {"status": "follow_up", "note": "Second meeting"}
        ).status_code
        == 302
    )
    assert liaison.post(f"/en/requests/{req.pk}/move/", {"status": "engaged"}).status_code == 302
    assert liaison.post(f"/en/requests/{req.pk}/move/", {"status": "follow_up"}).status_code == 302
    # Closing needs an outcome, said in words; nothing else changes.
    response = boss.post(f"/en/requests/{req.pk}/move/", {"status": "closed"})
    assert (
        response.status_code == 400
        and "Say what came of it before closing the request." in response.content.decode()
    )
    assert (
        boss.post(
            f"/en/requests/{req.pk}/move/",
            {"status": "closed", "outcome": "The pattern diminished after two meetings."},
        ).status_code
        == 302
    )

    req.refresh_from_db()
    assert req.status == "closed" and req.closed_at is not None and "diminished" in req.outcome
    assert list(req.events.all()) == [event] and list(req.alerts.all()) == [alert]
    steps = list(req.steps.values_list("status", flat=True))
    assert steps == [
        "requested",
        "assigned",
        "assigned",
        "engaged",
        "engaged",
        "follow_up",
        "engaged",
        "follow_up",
        "closed",
    ]
    page = boss.get(f"/en/requests/{req.pk}/").content.decode()
    for text in (
        "Robberies around Murray Avenue",
        event.title_en,
        "Formal meeting",
        "Second meeting",
        "diminished",
    ):
        assert text in page
    events = set(Entry.objects.filter(object_pk=str(req.pk)).values_list("event", flat=True))
    assert {"request.raised", "request.assigned", "request.status", "request.linked"} <= events
    # Closed: nothing moves any more.
    assert liaison.post(f"/en/requests/{req.pk}/move/", {"status": "engaged"}).status_code == 403


def test_request_first_engagement_is_the_earliest_of_contact_event_and_move(world):
    req = _request(world)
    services.request_assign(actor=world["coordinator"], request=req, liaisons=[world["wei"]])
    EngagementRequest.objects.filter(pk=req.pk).update(requested_at=timezone.now() - dt.timedelta(days=10))
    req.refresh_from_db()
    event = OutreachEventFactory(
        status="published",
        start=timezone.now() - dt.timedelta(days=6),
        end=timezone.now() - dt.timedelta(days=6) + dt.timedelta(hours=2),
    )
    services.request_link(actor=world["wei"].user, request=req, events=[event])
    req.refresh_from_db()
    assert req.first_engaged_at == event.start
    earlier = ContactFactory(
        liaison=world["wei"],
        date=timezone.localdate() - dt.timedelta(days=8),
        communities=[world["building"]],
    )
    services.request_link(actor=world["wei"].user, request=req, contacts=[earlier])
    req.refresh_from_db()
    first = req.first_engaged_at
    assert timezone.localtime(first).date() == earlier.date
    services.request_move(actor=world["wei"].user, request=req, status="engaged")
    req.refresh_from_db()
    assert req.first_engaged_at == first  # the move came later: the first engagement stays
    days = (first - req.requested_at).total_seconds() / 86400
    assert 1 < days < 3


def test_request_suggestions_rank_the_liaison_who_speaks_the_language_and_covers_the_community_first(world):
    req = _request(world)
    # Speaks Chinese (basic) but covers another community; covers the community but no Chinese.
    basic = speaker(world["other"], [("zh", 4)], user__first_name="Ana", user__last_name="Basic")
    cover = speaker(world["building"], [("ko", 1)], user__first_name="Kim", user__last_name="Cover")
    busy = speaker(world["building"], [("zh", 1)], user__first_name="Bo", user__last_name="Busy")
    _other = _request(world, subject="Another")
    services.request_assign(actor=world["coordinator"], request=_other, liaisons=[busy])
    ranked = selectors.liaison_suggestions(req)
    names = [s.liaison for s in ranked]
    assert names[0] == world["wei"]
    assert names.index(busy) == 1 and names.index(basic) < names.index(cover) < names.index(world["luis"])
    top = ranked[0]
    assert "Speaks Chinese (native)" in top.reasons and "Assigned to East Asian" in top.reasons
    assert "Carries 1 other open request(s)" in ranked[1].reasons
    page = client_for(world["coordinator"]).get(f"/en/requests/{req.pk}/assign/").content.decode()
    assert page.index("Wei Zhang") < page.index("Luis Garcia") and "Speaks Chinese (native)" in page


def test_request_assignment_email_is_queued_once_even_when_assigned_twice(
    world, django_capture_on_commit_callbacks
):
    req = _request(world)
    coord = client_for(world["coordinator"])
    with django_capture_on_commit_callbacks(execute=False):
        coord.post(f"/en/requests/{req.pk}/assign/", {"liaisons": [world["wei"].pk]})
        coord.post(f"/en/requests/{req.pk}/assign/", {"liaisons": [world["wei"].pk, world["luis"].pk]})
        coord.post(
            f"/en/requests/{req.pk}/assign/",
            {"liaisons": [world["wei"].pk, world["luis"].pk], "note": "Again"},
        )
    rows = Message.objects.filter(key__startswith=f"engagement:{req.pk}:assigned:")
    assert sorted(rows.values_list("key", flat=True)) == sorted(
        [
            f"engagement:{req.pk}:assigned:{world['wei'].pk}",
            f"engagement:{req.pk}:assigned:{world['luis'].pk}",
        ]
    )
    wei = rows.get(address=world["wei"].user.email)
    assert "Robberies in a building" in wei.subject and f"/en/requests/{req.pk}/" in wei.body


@pytest.mark.parametrize("path", ["", "assign/", "link/", "contact/"])
def test_request_a_liaison_not_assigned_gets_not_found(world, path):
    req = _request(world)
    services.request_assign(actor=world["coordinator"], request=req, liaisons=[world["wei"]])
    stranger = client_for(world["luis"].user)
    assert stranger.get(f"/en/requests/{req.pk}/{path}").status_code == 404
    assert stranger.post(f"/en/requests/{req.pk}/move/", {"status": "engaged"}).status_code == 404
    assert "Robberies" not in stranger.get("/en/requests/?status=all").content.decode()


def test_request_neither_a_liaison_nor_a_commander_can_assign(world):
    req = _request(world)
    services.request_assign(actor=world["coordinator"], request=req, liaisons=[world["wei"]])
    assert client_for(world["wei"].user).get(f"/en/requests/{req.pk}/assign/").status_code == 403
    boss = client_for(world["commander"])
    assert boss.get(f"/en/requests/{req.pk}/assign/").status_code == 403
    assert boss.post(f"/en/requests/{req.pk}/assign/", {"liaisons": [world["luis"].pk]}).status_code == 403
    assert list(req.liaisons.all()) == [world["wei"]]
    with pytest.raises(services.PermissionDenied):
        services.request_assign(actor=world["commander"], request=req, liaisons=[world["luis"]])
    # A liaison cannot raise one either.
    assert client_for(world["wei"].user).get("/en/requests/new/").status_code == 403


def test_request_bad_input_is_explained_and_nothing_is_lost(world):
    boss = client_for(world["commander"])
    response = _raise(boss, [], subject="  ", languages=["xx"], details="Kept as written")
    page = response.content.decode()
    assert response.status_code == 400 and EngagementRequest.objects.count() == 0
    assert "There is a problem" in page
    assert "Choose at least one community concerned." in page
    assert "Say in a few words what the unit should engage about." in page
    assert "Choose the languages from the list." in page or "Select a valid choice" not in page
    assert "Kept as written" in page and "40 Murray Avenue" in page
    # In the reader's language.
    page = _raise(boss, [], subject="").content.decode()
    assert "Choose at least one community concerned." in page
    es = boss.post("/es/requests/new/", {"kind": "crime_pattern", "urgency": "1"}).content.decode()
    assert 'lang="es"' in es


def test_request_move_refuses_a_step_out_of_order(world):
    req = _request(world)
    services.request_assign(actor=world["coordinator"], request=req, liaisons=[world["wei"]])
    liaison = client_for(world["wei"].user)
    response = liaison.post(f"/en/requests/{req.pk}/move/", {"status": "follow_up"})
    assert response.status_code == 400 and "There is a problem" in response.content.decode()
    req.refresh_from_db()
    assert req.status == "assigned"
    # The liaison cannot close straight from "assigned"; the requester can, with an outcome.
    assert (
        liaison.post(f"/en/requests/{req.pk}/move/", {"status": "closed", "outcome": "x"}).status_code == 400
    )
    services.request_move(
        actor=world["commander"], request=req, status="closed", outcome="Handled by the precinct"
    )
    req.refresh_from_db()
    assert req.status == "closed"


def test_request_link_refuses_contacts_of_liaisons_not_assigned(world):
    req = _request(world)
    services.request_assign(actor=world["coordinator"], request=req, liaisons=[world["wei"]])
    theirs = ContactFactory(liaison=world["luis"], communities=[world["building"]])
    with pytest.raises(services.ValidationError):
        services.request_link(actor=world["coordinator"], request=req, contacts=[theirs])
    # Not offered on the page either, and a forged id is refused with a message.
    liaison = client_for(world["wei"].user)
    response = liaison.post(f"/en/requests/{req.pk}/link/", {"contacts": [theirs.pk]})
    assert response.status_code == 400 and "cannot be linked" in response.content.decode()
    assert req.contacts.count() == 0


def test_request_commander_and_coordinator_see_all_a_liaison_only_theirs(world):
    mine = _request(world, subject="Mine")
    _request(world, subject="Not mine")
    services.request_assign(actor=world["coordinator"], request=mine, liaisons=[world["wei"]])
    assert {r.subject for r in selectors.requests_visible_to(world["wei"].user)} == {"Mine"}
    assert selectors.requests_visible_to(world["commander"]).count() == 2
    assert selectors.requests_visible_to(world["coordinator"]).count() == 2
    page = client_for(world["commander"]).get("/en/requests/").content.decode()
    assert "Mine" in page and "Not mine" in page


def _many(world, n):
    for i in range(n):
        req = _request(world, subject=f"Request {i}", communities=[world["building"], world["other"]])
        services.request_assign(
            actor=world["coordinator"], request=req, liaisons=[world["wei"], world["luis"]]
        )


@pytest.mark.parametrize("count", [1, 30])
def test_request_list_query_count_does_not_grow_with_requests(world, count, django_assert_num_queries):
    _many(world, count)
    boss = client_for(world["commander"])
    boss.get("/en/requests/")  # a first visit, so the pinned one is an ordinary page view
    # session, user, second factor, permissions (2), count, page, communities, liaisons.
    with django_assert_num_queries(9):
        assert boss.get("/en/requests/").status_code == 200
    liaison = client_for(world["wei"].user)
    liaison.get("/en/requests/")
    # and the liaison profile looked up to find their own.
    with django_assert_num_queries(10):
        assert liaison.get("/en/requests/").status_code == 200


@pytest.mark.parametrize("count", [1, 10])
def test_request_detail_query_count_does_not_grow_with_links(world, count, django_assert_num_queries):
    req = _request(world)
    services.request_assign(actor=world["coordinator"], request=req, liaisons=[world["wei"]])
    for _ in range(count):
        contact = ContactFactory(liaison=world["wei"], communities=[world["building"]])
        services.request_link(actor=world["wei"].user, request=req, contacts=[contact])
    boss = client_for(world["commander"])
    boss.get(f"/en/requests/{req.pk}/")
    # The list's nine, the liaison lookup, and steps, contacts (with their communities), events, alerts.
    with django_assert_num_queries(14):
        assert boss.get(f"/en/requests/{req.pk}/").status_code == 200


def test_request_inactive_liaisons_are_not_offered_or_assigned(world):
    req = _request(world)
    gone = LiaisonFactory(is_active=False)
    assert gone not in [s.liaison for s in selectors.liaison_suggestions(req)]
    response = client_for(world["coordinator"]).post(
        f"/en/requests/{req.pk}/assign/", {"liaisons": [gone.pk]}
    )
    assert response.status_code == 400 and "no longer active" in response.content.decode()
    assert RequestStep.objects.filter(request=req).count() == 1
