"""The anonymous three-question survey: after a meeting and as the standing trust pulse."""

import datetime as dt

import pytest
from django.db import models
from django.utils import timezone, translation

from feedback.models import FollowUp, PublishedComment
from surveys.models import SurveyResponse
from tests.factories import CommunityFactory, OutreachEventFactory

pytestmark = pytest.mark.django_db

VISITOR = "203.0.113.7"


def _answers(**overrides):
    data = {
        "respect": "5",
        "would_contact": "4",
        "know_how": "2",
        "community": "",
        "comment": "",
        "website": "",
    }
    data.update(overrides)
    return data


def _post(client, url, data, ip=VISITOR):
    return client.post(url, data, REMOTE_ADDR=ip)


def test_pulse_in_arabic_is_right_to_left_with_the_911_line(client):
    html = client.get("/ar/survey/").content.decode()
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    assert "911" in html
    assert html.count('type="radio"') == 15  # three statements, five choices each


def test_pulse_answer_is_stored_anonymously_in_the_visitors_language(client):
    community = CommunityFactory()
    response = _post(client, "/so/survey/", _answers(community=community.pk, comment="Waad mahadsantihiin"))
    assert response.status_code == 302 and response["Location"] == "/so/survey/thanks/"
    answer = SurveyResponse.objects.get()
    assert (answer.source, answer.language, answer.community, answer.event) == (
        "pulse",
        "so",
        community,
        None,
    )
    assert (answer.respect, answer.would_contact, answer.know_how) == (5, 4, 2)
    assert answer.comment_status == "new"
    assert answer.submitted_on == timezone.localdate()
    # Nothing about the visitor anywhere in the row.
    values = " ".join(str(getattr(answer, f.attname)) for f in SurveyResponse._meta.concrete_fields)
    assert VISITOR not in values


def test_survey_duplicate_bursts_are_counted_once(client):
    for _ in range(5):
        response = _post(client, "/en/survey/", _answers())
        assert response.status_code in (200, 302)
    assert SurveyResponse.objects.count() == 1
    assert "counted once" in response.content.decode()
    # Someone else at the same place with other answers is counted.
    assert _post(client, "/en/survey/", _answers(respect="1")).status_code == 302
    # Another address sending the same answers too.
    assert _post(client, "/en/survey/", _answers(), ip="198.51.100.9").status_code == 302
    assert SurveyResponse.objects.count() == 3


def test_survey_rate_limit_answers_429_in_the_visitors_language_and_keeps_the_answers(client, settings):
    settings.SURVEY_SUBMIT_RATE = "3/h"
    for value in "123":
        assert _post(client, "/es/survey/", _answers(respect=value)).status_code == 302
    refused = _post(client, "/es/survey/", _answers(respect="4", comment="Muy bien"))
    assert refused.status_code == 429
    assert refused["Retry-After"]
    html = refused.content.decode()
    assert 'lang="es"' in html and "Muy bien" in html
    assert SurveyResponse.objects.count() == 3


def test_survey_honeypot_stores_nothing(client):
    response = _post(client, "/en/survey/", _answers(website="http://spam.example"))
    assert response.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_survey_bad_input_gets_a_message_per_statement_in_the_readers_language(client):
    response = _post(client, "/es/survey/", {"respect": "9", "know_how": "x", "comment": "Hola" * 300})
    assert response.status_code == 400
    html = response.content.decode()
    with translation.override("es"):
        assert html.count(translation.gettext("Choose one answer for this statement.")) >= 3
    assert not SurveyResponse.objects.exists()


def test_event_survey_opens_when_the_meeting_starts(client):
    soon = OutreachEventFactory(status="published")
    html = client.get(f"/en/events/{soon.pk}/survey/").content.decode()
    assert "opens when the meeting starts" in html
    assert _post(client, f"/en/events/{soon.pk}/survey/", _answers()).status_code == 400
    assert not SurveyResponse.objects.exists()

    start = timezone.now() - dt.timedelta(hours=3)
    held = OutreachEventFactory(status="published", start=start, end=start + dt.timedelta(hours=2))
    page = client.get(f"/en/events/{held.pk}/").content.decode()
    assert f"/en/events/{held.pk}/survey/" in page  # the event page (the flyer's QR) leads to it
    assert _post(client, f"/ar/events/{held.pk}/survey/", _answers()).status_code == 302
    answer = SurveyResponse.objects.get()
    assert (answer.source, answer.event, answer.language) == ("event", held, "ar")


def test_event_survey_of_a_draft_or_unknown_event_is_a_404(client):
    draft = OutreachEventFactory()
    assert client.get(f"/en/events/{draft.pk}/survey/").status_code == 404
    assert client.get("/en/events/999999/survey/").status_code == 404


PERSONAL = {
    "email",
    "phone",
    "name",
    "ip",
    "ip_address",
    "remote_addr",
    "address",
    "user",
    "session",
    "user_agent",
}


@pytest.mark.parametrize("model", [SurveyResponse, FollowUp, PublishedComment])
def test_no_personal_data_is_stored_with_answers(model):
    """No field of an answer can hold who gave it: no address, account, device or moment."""
    for field in model._meta.get_fields():
        name = field.name.lower()
        assert not any(word == name or word in name.split("_") for word in PERSONAL), (
            f"{model.__name__}.{name}"
        )
        if field.is_relation and field.related_model is not None:
            assert field.related_model._meta.label not in ("auth.User", "sessions.Session") or (
                model is PublishedComment and field.name == "published_by"  # the coordinator
            ), f"{model.__name__}.{field.name}"
    if model is SurveyResponse:
        # The day only: a time of day could pick out who answered at the door of a meeting.
        assert not any(isinstance(f, models.DateTimeField) for f in model._meta.concrete_fields)
