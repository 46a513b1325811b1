"""Survey comments are for staff; a coordinator publishes an edited copy on "You said, we did"."""

import pytest

from audit.models import Entry
from feedback.models import PublishedComment
from surveys.models import SurveyResponse
from tests.factories import CommunityFactory

pytestmark = pytest.mark.django_db

ORIGINAL = "Officer Dana Smith at 12 Elm Street was very kind to my son."
EDITED = "An officer was very kind to my son."


@pytest.fixture
def answer():
    return SurveyResponse.objects.create(
        source="pulse",
        language="en",
        community=CommunityFactory(),
        respect=5,
        would_contact=5,
        know_how=4,
        comment=ORIGINAL,
        comment_status="new",
    )


def _staff(client, role_user, role):
    client.force_login(role_user(role))
    return client


def test_comments_are_read_by_staff_and_never_public(client, role_user, answer):
    assert ORIGINAL not in client.get("/en/you-said-we-did/").content.decode()
    assert client.get("/en/surveys/comments/").status_code == 302  # to sign in
    liaison = _staff(client, role_user, "Liaison officer")
    assert ORIGINAL in liaison.get("/en/surveys/comments/").content.decode()
    detail = liaison.get(f"/en/surveys/comments/{answer.pk}/").content.decode()
    assert ORIGINAL in detail and "Publish an edited copy" not in detail  # liaisons do not publish
    assert (
        liaison.post(f"/en/surveys/comments/{answer.pk}/publish/", {"text": "x", "confirm": "on"}).status_code
        == 403
    )


def test_coordinator_publishes_only_an_edited_copy(client, role_user, answer):
    coordinator = _staff(client, role_user, "Coordinator")
    refused = coordinator.post(f"/en/surveys/comments/{answer.pk}/publish/", {"text": EDITED})
    assert refused.status_code == 400  # must confirm that nothing identifies anyone
    assert "Confirm that nothing in it can identify anyone." in refused.content.decode()
    assert not PublishedComment.objects.exists()
    done = coordinator.post(f"/en/surveys/comments/{answer.pk}/publish/", {"text": EDITED, "confirm": "on"})
    assert done.status_code == 302
    answer.refresh_from_db()
    assert answer.comment_status == "published" and answer.published_comment.text == EDITED
    assert answer.comment == ORIGINAL  # the original stays with the answer, for staff
    public = client.get("/en/you-said-we-did/").content.decode()
    assert EDITED in public and ORIGINAL not in public
    assert Entry.objects.filter(event="comment.published").count() == 1
    # Publishing twice is refused, not a second copy.
    again = coordinator.post(f"/en/surveys/comments/{answer.pk}/publish/", {"text": EDITED, "confirm": "on"})
    assert again.status_code == 400 and PublishedComment.objects.count() == 1


def test_published_comment_in_another_language_says_so(client, role_user, answer):
    answer.language = "so"
    answer.save()
    _staff(client, role_user, "Coordinator").post(
        f"/en/surveys/comments/{answer.pk}/publish/",
        {"text": "Sarkaal ayaa naxariis badan.", "confirm": "on"},
    )
    client.logout()
    html = client.get("/ar/you-said-we-did/").content.decode()
    assert 'lang="so"' in html and "Sarkaal ayaa naxariis badan." in html


def test_a_comment_set_aside_is_never_published(client, role_user, answer):
    coordinator = _staff(client, role_user, "Coordinator")
    assert (
        coordinator.post(f"/en/surveys/comments/{answer.pk}/mark/", {"status": "set_aside"}).status_code
        == 302
    )
    answer.refresh_from_db()
    assert answer.comment_status == "set_aside"
    assert Entry.objects.filter(event="comment.dismissed").exists()
    html = coordinator.get(f"/en/surveys/comments/{answer.pk}/").content.decode()
    assert "Publish an edited copy" not in html


def test_a_commander_marks_a_comment_read_but_cannot_set_it_aside(client, role_user, answer):
    commander = _staff(client, role_user, "Commander")
    commander.post(f"/en/surveys/comments/{answer.pk}/mark/", {"status": "set_aside"})
    answer.refresh_from_db()
    assert answer.comment_status == "new"
    commander.post(f"/en/surveys/comments/{answer.pk}/mark/", {"status": "read"})
    answer.refresh_from_db()
    assert answer.comment_status == "read"
    assert commander.post(f"/en/surveys/comments/{answer.pk}/mark/", {"status": "bogus"}).status_code == 302
