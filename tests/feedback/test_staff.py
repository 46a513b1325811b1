"""Staff side: the triage queue, the concern page, and who may do what."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from feedback import services
from feedback.models import Concern, InternalNote, StatusChange
from messaging.models import Message
from tests.factories import CommunityFactory, ConcernFactory, LiaisonFactory, concern_category

pytestmark = pytest.mark.django_db

LIAISON, COMMANDER, COORDINATOR = "Liaison officer", "Commander", "Coordinator"


def _status_post(concern, status, reason="", **responses):
    data = {"status": status, "reason": reason}
    for code in ["en", "es", "ar"]:
        data[f"response_{code}"] = responses.get(code, "")
    return data


# --- Who may open which page ------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), [(LIAISON, 200), (COORDINATOR, 200), (COMMANDER, 200)])
def test_queue_is_open_to_liaisons_coordinators_and_commanders(client, role_user, role, expected):
    concern = ConcernFactory()
    client.force_login(role_user(role))
    assert client.get("/en/concerns/queue/").status_code == expected
    assert client.get(f"/en/concerns/queue/{concern.pk}/").status_code == expected


def test_queue_needs_a_login(client):
    concern = ConcernFactory()
    for url in ["/en/concerns/queue/", f"/en/concerns/queue/{concern.pk}/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
        assert "no-store" in response["Cache-Control"]


def test_queue_is_closed_to_a_signed_in_user_without_a_role(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get("/en/concerns/queue/").status_code == 403


def test_commander_sees_the_concern_read_only(client, role_user):
    concern = ConcernFactory()
    client.force_login(role_user(COMMANDER))
    html = client.get(f"/en/concerns/queue/{concern.pk}/").content.decode()
    assert "status-form" not in html and "note-form" not in html and "assign-form" not in html
    assert "publish-form" not in html


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("concern-assign", {"assignee": ""}),
        ("concern-change-status", {"status": "in_review"}),
        ("concern-add-note", {"text": "A note"}),
        ("concern-publish", {"published": "on", "summary_en": "Something"}),
    ],
)
def test_commander_cannot_write(client, role_user, action, data):
    concern = ConcernFactory()
    client.force_login(role_user(COMMANDER))
    response = client.post(reverse(f"feedback:{action}", args=[concern.pk]), data)
    assert response.status_code == 403
    concern.refresh_from_db()
    assert concern.status == "received" and not concern.published
    assert InternalNote.objects.count() == 0


@pytest.mark.parametrize("role", [LIAISON, COORDINATOR])
def test_liaison_and_coordinator_can_triage(client, role_user, role):
    concern = ConcernFactory()
    liaison = LiaisonFactory()
    client.force_login(role_user(role))
    url = reverse("feedback:concern-detail", args=[concern.pk])
    concern.assignee = liaison  # assigning is the coordinator's (test_only_coordinators_assign)
    concern.save()
    assert (
        client.post(reverse("feedback:concern-add-note", args=[concern.pk]), {"text": "Called the school."})[
            "Location"
        ]
        == url
    )
    response = client.post(
        reverse("feedback:concern-change-status", args=[concern.pk]), _status_post(concern, "in_review")
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.assignee == liaison
    assert concern.status == "in_review"
    assert concern.notes.get().text == "Called the school."


def test_services_refuse_writes_without_permission(role_user):
    concern = ConcernFactory()
    commander = role_user(COMMANDER)
    with pytest.raises(PermissionDenied):
        services.concern_set_status(actor=commander, concern=concern, status="in_review")
    with pytest.raises(PermissionDenied):
        services.concern_assign(actor=commander, concern=concern, assignee=None)
    with pytest.raises(PermissionDenied):
        services.concern_note_add(actor=commander, concern=concern, text="x")
    with pytest.raises(PermissionDenied):
        services.concern_publish(actor=commander, concern=concern, published=False)


def test_staff_nav_shows_concerns_to_roles_that_may_see_them(client, role_user):
    from tests.factories import UserFactory

    client.force_login(role_user(LIAISON))
    assert 'href="/en/concerns/queue/"' in client.get("/en/concerns/queue/").content.decode()
    client.force_login(UserFactory())
    assert 'href="/en/concerns/queue/"' not in client.get("/en/privacy/").content.decode()


# --- The queue ----------------------------------------------------------------------------


def test_queue_shows_open_concerns_oldest_first_by_default(client, role_user):
    old = ConcernFactory()
    Concern.objects.filter(pk=old.pk).update(created_at=old.created_at.replace(year=old.created_at.year - 1))
    new = ConcernFactory()
    closed = ConcernFactory(status="closed")
    client.force_login(role_user(LIAISON))
    html = client.get("/en/concerns/queue/").content.decode()
    assert old.code_display in html and new.code_display in html
    assert closed.code_display not in html
    assert html.index(old.code_display) < html.index(new.code_display)


def test_queue_filters_by_status_category_community_assignee_and_age(client, role_user):
    import datetime as dt

    from django.utils import timezone

    community = CommunityFactory()
    liaison = LiaisonFactory()
    a = ConcernFactory(category=concern_category("compliment"), community=community, assignee=liaison)
    b = ConcernFactory(status="in_review")
    c = ConcernFactory(status="action_taken")
    Concern.objects.filter(pk=b.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    client.force_login(role_user(COORDINATOR))

    def codes(**params):
        html = client.get("/en/concerns/queue/", params).content.decode()
        return {x.code_display for x in (a, b, c) if x.code_display in html}

    assert codes() == {a.code_display, b.code_display}
    assert codes(status="all") == {a.code_display, b.code_display, c.code_display}
    assert codes(status="action_taken") == {c.code_display}
    assert codes(category=a.category_id) == {a.code_display}
    assert codes(community=community.pk) == {a.code_display}
    assert codes(assignee=liaison.pk) == {a.code_display}
    assert codes(assignee="none") == {b.code_display}
    assert codes(age="30") == {b.code_display}


def test_queue_ignores_filters_it_does_not_understand(client, role_user):
    ConcernFactory()
    client.force_login(role_user(LIAISON))
    response = client.get("/en/concerns/queue/", {"status": "bogus", "community": "<x>", "age": "abc"})
    assert response.status_code == 200
    assert "Some filters were not understood" in response.content.decode()


def test_queue_query_count_does_not_grow_with_rows(client, role_user, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(role_user(COORDINATOR))
    communities = [CommunityFactory() for _i in range(3)]
    liaisons = [LiaisonFactory() for _i in range(3)]

    def count(n):
        for i in range(n):
            ConcernFactory(community=communities[i % 3], assignee=liaisons[i % 3])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/en/concerns/queue/").status_code == 200
        return len(ctx.captured_queries)

    few = count(2)
    many = count(20)
    assert many == few


def test_detail_page_query_count_does_not_grow_with_history_or_notes(client, role_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = role_user(COORDINATOR)
    client.force_login(user)
    concern = ConcernFactory()

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/en/concerns/queue/{concern.pk}/").status_code == 200
        return len(ctx.captured_queries)

    services.concern_note_add(actor=user, concern=concern, text="one")
    few = count()
    for i in range(10):
        services.concern_note_add(actor=user, concern=concern, text=f"note {i}")
        services.concern_set_status(
            actor=user, concern=concern, status="in_review" if i % 2 == 0 else "received"
        )
    assert count() == few


# --- Status changes, history and notes ----------------------------------------------------


def test_status_change_records_who_when_from_and_to(role_user):
    user = role_user(LIAISON)
    concern = ConcernFactory()
    services.concern_set_status(actor=user, concern=concern, status="in_review")
    services.concern_set_status(
        actor=user, concern=concern, status="not_actionable", reason="Outside the city."
    )
    history = list(
        StatusChange.objects.filter(concern=concern, actor=user).values_list("from_status", "to_status")
    )
    assert history == [("received", "in_review"), ("in_review", "not_actionable")]
    concern.refresh_from_db()
    assert concern.closed_at is not None
    assert concern.not_actionable_reason == "Outside the city."


def test_status_not_actionable_needs_a_reason(client, role_user):
    concern = ConcernFactory()
    client.force_login(role_user(LIAISON))
    response = client.post(
        reverse("feedback:concern-change-status", args=[concern.pk]), _status_post(concern, "not_actionable")
    )
    assert response.status_code == 400
    assert "Say why this concern is not actionable." in response.content.decode()
    concern.refresh_from_db()
    assert concern.status == "received"


def test_status_reason_is_shown_publicly_but_notes_never_are(client, role_user):
    user = role_user(LIAISON)
    concern = ConcernFactory()
    services.concern_note_add(actor=user, concern=concern, text="SECRET internal note about the caller")
    services.concern_set_status(
        actor=user, concern=concern, status="not_actionable", reason="This is a federal matter."
    )
    html = client.get(f"/en/concerns/track/{concern.code}/").content.decode()
    assert "This is a federal matter." in html
    assert "SECRET internal note" not in html


def test_detail_shows_history_with_names_and_submitter_language_first(client, role_user):
    user = role_user(LIAISON, first_name="Amina", last_name="Hassan")
    concern = services.concern_submit(category=concern_category(), text="Too dark at night.", language="ar")
    services.concern_set_status(actor=user, concern=concern, status="in_review")
    client.force_login(user)
    html = client.get(f"/en/concerns/queue/{concern.pk}/").content.decode()
    assert "Amina Hassan" in html and "sent by the public" in html
    assert (
        html.index('name="response_ar"') < html.index('name="response_en"') < html.index('name="response_es"')
    )


def test_note_empty_is_refused(client, role_user):
    concern = ConcernFactory()
    client.force_login(role_user(LIAISON))
    response = client.post(reverse("feedback:concern-add-note", args=[concern.pk]), {"text": "   "})
    assert response.status_code == 400
    assert InternalNote.objects.count() == 0


def test_assign_only_to_an_active_liaison(role_user):
    concern = ConcernFactory()
    inactive = LiaisonFactory(is_active=False)
    with pytest.raises(ValidationError):
        services.concern_assign(actor=role_user(COORDINATOR), concern=concern, assignee=inactive)


# --- Notifying the submitter ----------------------------------------------------------------


def test_action_taken_with_response_notifies_submitter_in_their_language_once(
    client, role_user, django_capture_on_commit_callbacks
):
    concern = ConcernFactory(language="es", contact_method="email", email="ana@example.org")
    client.force_login(role_user(LIAISON))
    url = reverse("feedback:concern-change-status", args=[concern.pk])
    data = _status_post(
        concern, "action_taken", es="Hablamos con la escuela y pusimos un guardia.", en="We placed a guard."
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
        # A double click: the same status again is not a change and sends nothing more.
        assert client.post(url, data).status_code == 302
    message = Message.objects.get()
    assert (message.channel, message.address, message.language) == ("email", "ana@example.org", "es")
    assert "Hablamos con la escuela y pusimos un guardia." in message.body
    assert "We placed a guard." not in message.body
    assert concern.code_display in message.subject
    assert (
        message.key
        == f"concern:{concern.pk}:status:{StatusChange.objects.get(to_status='action_taken').pk}:submitter"
    )
    assert 'lang="es"' in message.html_body


def test_each_status_change_notifies_exactly_once(role_user, django_capture_on_commit_callbacks):
    user = role_user(LIAISON)
    concern = ConcernFactory(language="en", contact_method="phone", phone="+14125550134")
    with django_capture_on_commit_callbacks(execute=True):
        services.concern_set_status(
            actor=user, concern=concern, status="action_taken", responses={"en": "Done."}
        )
        services.concern_set_status(actor=user, concern=concern, status="closed")
    messages = list(Message.objects.order_by("id"))
    assert len(messages) == 2
    assert {m.channel for m in messages} == {"sms"}
    assert all("Done." in m.body for m in messages)


def test_arabic_notice_html_is_right_to_left(role_user):
    user = role_user(LIAISON)
    concern = ConcernFactory(language="ar", contact_method="email", email="x@example.org")
    services.concern_set_status(
        actor=user, concern=concern, status="closed", responses={"ar": "تم إصلاح الإنارة."}
    )
    message = Message.objects.get()
    assert message.language == "ar"
    assert 'dir="rtl"' in message.html_body
    assert "تم إصلاح الإنارة." in message.body


@pytest.mark.parametrize(
    ("fields", "status", "responses"),
    [
        ({"contact_method": "none"}, "action_taken", {"en": "Done."}),  # anonymous
        ({"contact_method": "email", "email": "a@example.org"}, "action_taken", {}),  # no response
        ({"contact_method": "email", "email": "a@example.org"}, "in_review", {"en": "Looking."}),  # not final
    ],
)
def test_no_notice_when_nobody_to_tell_or_nothing_to_say(role_user, fields, status, responses):
    concern = ConcernFactory(**fields)
    services.concern_set_status(actor=role_user(LIAISON), concern=concern, status=status, responses=responses)
    assert Message.objects.count() == 0


def test_failed_status_change_queues_nothing(role_user):
    concern = ConcernFactory(contact_method="email", email="a@example.org")
    with pytest.raises(ValidationError):
        services.concern_set_status(
            actor=role_user(LIAISON), concern=concern, status="not_actionable", responses={"en": "x"}
        )
    assert Message.objects.count() == 0
    concern.refresh_from_db()
    assert not concern.public_response_en


# --- Publishing on "You said, we did" -----------------------------------------------------------


def test_publish_needs_a_summary_and_a_finished_concern(role_user):
    user = role_user(COORDINATOR)
    concern = ConcernFactory()
    with pytest.raises(ValidationError):
        services.concern_publish(actor=user, concern=concern, published=True, summaries={"en": "We did it."})
    services.concern_set_status(actor=user, concern=concern, status="action_taken")
    with pytest.raises(ValidationError):
        services.concern_publish(actor=user, concern=concern, published=True, summaries={"en": ""})
    services.concern_publish(actor=user, concern=concern, published=True, summaries={"en": "We did it."})
    concern.refresh_from_db()
    assert concern.published and concern.published_at


def test_publish_from_the_page_appears_on_you_said_we_did(client, role_user):
    user = role_user(LIAISON)
    concern = ConcernFactory(status="action_taken")
    client.force_login(user)
    response = client.post(
        reverse("feedback:concern-publish", args=[concern.pk]),
        {
            "published": "on",
            "summary_en": "Residents asked for lighting; the city fixed 12 lights.",
            "summary_es": "",
            "summary_ar": "",
        },
    )
    assert response.status_code == 302
    client.logout()
    assert "Residents asked for lighting" in client.get("/en/you-said-we-did/").content.decode()


def test_you_said_we_did_query_count_does_not_grow_with_rows(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    def count(n):
        for _i in range(n):
            ConcernFactory(
                status="closed",
                community=CommunityFactory(),
                published=True,
                published_at=timezone.now(),
                public_summary_en="We acted.",
            )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/en/you-said-we-did/").status_code == 200
        return len(ctx.captured_queries)

    assert count(2) == count(15)


def test_only_coordinators_assign_so_no_liaison_can_give_itself_a_submitters_address(client, role_user):
    concern = ConcernFactory(contact_method="email", email="layla@example.org")
    liaison = LiaisonFactory()
    client.force_login(liaison.user)
    detail = client.get(reverse("feedback:concern-detail", args=[concern.pk])).content.decode()
    assert "assign-form" not in detail
    response = client.post(reverse("feedback:concern-assign", args=[concern.pk]), {"assignee": liaison.pk})
    assert response.status_code == 403
    concern.refresh_from_db()
    assert concern.assignee is None
    assert (
        "layla@example.org"
        not in client.get(reverse("feedback:concern-detail", args=[concern.pk])).content.decode()
    )
    with pytest.raises(PermissionDenied):
        services.concern_assign(actor=liaison.user, concern=concern, assignee=liaison)

    coordinator = role_user(COORDINATOR)
    client.force_login(coordinator)
    response = client.post(reverse("feedback:concern-assign", args=[concern.pk]), {"assignee": liaison.pk})
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.assignee == liaison
