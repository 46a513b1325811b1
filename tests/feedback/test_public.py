"""The public side: submit in any language without a name, get a code, follow it."""

import pytest
from django.urls import reverse

from feedback.models import Concern, StatusChange
from tests.factories import CommunityFactory, ConcernFactory
from tests.feedback._html import form_state, value

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_concern_form_shows_emergency_privacy_and_what_next_in_the_page_language(client, lang):
    response = client.get(f"/{lang}/concerns/new/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'lang="{lang}"' in html
    assert 'class="alert alert-danger d-flex gap-2 emergency-note"' in html
    assert "911" in html.split('class="before-you-write')[1].split("</section>")[0]
    assert "what-next" in html
    # The form's language defaults to the page's language.
    assert value(html, "language") == lang


def test_concern_form_says_immigration_and_911_in_english(client):
    html = client.get("/en/concerns/new/").content.decode()
    assert "Is someone in danger right now? Call 911." in html
    assert "We will never ask about immigration status." in html
    assert "What happens next" in html


def test_concern_form_has_no_name_field_and_anonymous_is_the_default(client):
    html = client.get("/en/concerns/new/").content.decode()
    names = set(form_state(html).names)
    assert names == {
        "csrfmiddlewaretoken",
        "category",
        "text",
        "community",
        "place",
        "contact_method",
        "email",
        "phone",
        "language",
        "website",
    }
    assert value(html, "contact_method") == "none"


def test_concern_submit_anonymous_shows_code_and_status_page(client, concern_form_data):
    response = client.post("/ar/concerns/new/", concern_form_data(language="ar"))
    assert response.status_code == 302
    assert response["Location"] == "/ar/concerns/new/submitted/"
    concern = Concern.objects.get()
    assert concern.language == "ar" and concern.address == "" and concern.status == "received"
    assert StatusChange.objects.filter(concern=concern, to_status="received", actor=None).count() == 1
    slip = client.get(response["Location"])
    html = slip.content.decode()
    assert concern.code_display in html
    assert 'class="tracking-code slip-code' in html
    assert "no-store" in slip["Cache-Control"]
    status = client.get(f"/ar/concerns/track/{concern.code_display}/")
    assert status.status_code == 200
    assert 'data-status="received"' in status.content.decode()


def test_concern_submit_with_email_keeps_it_for_the_answer_only(client, concern_form_data):
    client.post(
        "/es/concerns/new/",
        concern_form_data(contact_method="email", email="maria@example.org", language="es"),
    )
    concern = Concern.objects.get()
    assert (concern.email, concern.phone, concern.language) == ("maria@example.org", "", "es")
    html = client.get(f"/es/concerns/track/{concern.code}/").content.decode()
    assert "maria@example.org" not in html
    assert concern.text not in html
    assert "Penn Avenue" not in html


def test_concern_submit_phone_is_validated_and_stored_in_e164(client, concern_form_data):
    client.post("/en/concerns/new/", concern_form_data(contact_method="phone", phone="(412) 555-0134"))
    assert Concern.objects.get().phone == "+14125550134"


def test_concern_submit_anonymous_drops_an_address_typed_anyway(client, concern_form_data):
    client.post("/en/concerns/new/", concern_form_data(contact_method="none", email="me@example.org"))
    assert Concern.objects.get().email == ""


def test_concern_submit_with_community(client, concern_form_data):
    community = CommunityFactory()
    client.post("/en/concerns/new/", concern_form_data(community=community.pk))
    assert Concern.objects.get().community == community


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"text": ""}, "text", "Tell us what happened."),
        ({"text": "   \n\t  "}, "text", "Tell us what happened."),
        ({"text": "x" * 4001}, "text", "Write 4,000 characters or fewer (you wrote 4,001)."),
        ({"contact_method": "email", "email": "not-an-address"}, "email", "Enter an e-mail address like"),
        ({"contact_method": "email", "email": ""}, "email", "Enter your e-mail address"),
        ({"contact_method": "phone", "phone": "12"}, "phone", "Enter a phone number we can text"),
        ({"category": "99999"}, "category", "Choose one of the categories in the list."),
        ({"category": "safety"}, "category", "Choose one of the categories in the list."),
        ({"community": "99999"}, "community", "Choose a community from the list"),
        ({"language": "xx"}, "language", "Choose a language from the list."),
        ({"contact_method": "pigeon"}, "contact_method", "Choose how we should answer you."),
    ],
)
def test_concern_submit_bad_input_explains_keeps_text_and_saves_nothing(
    client, concern_form_data, overrides, field, message
):
    data = concern_form_data(**{"text": "Keep this text <b>please</b>", **overrides})
    response = client.post("/en/concerns/new/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in html
    assert message in html
    assert Concern.objects.count() == 0
    assert StatusChange.objects.count() == 0
    if "text" not in overrides:
        assert value(html, "text") == "Keep this text <b>please</b>"
        assert "Keep this text &lt;b&gt;please&lt;/b&gt;" in html


def test_concern_submit_error_message_is_in_the_visitor_language(client, concern_form_data):
    # Django's own messages are translated already; the page itself says which language it is.
    response = client.post("/es/concerns/new/", concern_form_data(text="", language="es"))
    assert response.status_code == 400
    assert 'lang="es"' in response.content.decode()


def test_concern_submit_null_character_is_refused_politely(client, concern_form_data):
    response = client.post("/en/concerns/new/", concern_form_data(text="abc\x00def"))
    assert response.status_code == 400
    assert Concern.objects.count() == 0


def test_concern_markup_is_shown_escaped_on_every_page(client, role_user, concern_form_data):
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post("/en/concerns/new/", concern_form_data(text=script, place=script))
    concern = Concern.objects.get()
    staff = role_user("Coordinator")
    client.force_login(staff)
    for url in [reverse("feedback:concern-queue"), reverse("feedback:concern-detail", args=[concern.pk])]:
        html = client.get(url).content.decode()
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert '<script>alert("x")</script>' not in html
        assert "<img src=x" not in html


def test_concern_honeypot_rejects_politely_and_saves_nothing(client, concern_form_data):
    response = client.post("/en/concerns/new/", concern_form_data(website="http://spam.example"))
    assert response.status_code == 400
    assert "We could not accept this message." in response.content.decode()
    assert Concern.objects.count() == 0


def test_concern_honeypot_is_hidden_from_people(client):
    html = client.get("/en/concerns/new/").content.decode()
    assert 'aria-hidden="true"' in html.split('name="website"')[0].rsplit("<div", 2)[-2]
    assert "hp-field" in html.split('name="website"')[0].rsplit("<div", 2)[-2]
    assert 'name="website"' in html and 'tabindex="-1"' in html


def test_concern_submitted_page_without_a_submission_goes_to_tracking(client):
    response = client.get("/en/concerns/new/submitted/")
    assert response.status_code == 302
    assert response["Location"] == "/en/concerns/track/"


def test_track_typed_code_in_any_case_and_without_hyphens_shows_the_status_without_a_redirect(client):
    concern = ConcernFactory()
    response = client.post("/en/concerns/track/", {"code": concern.code.lower()})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="received"' in html and concern.code_display in html
    assert "no-store" in response["Cache-Control"]
    # The stable printed address keeps working.
    assert client.get(f"/en/concerns/track/{concern.code.lower()}/").status_code == 200


def test_track_form_posts_with_csrf_so_the_code_stays_out_of_the_address(client):
    html = client.get("/en/concerns/track/").content.decode()
    form = html.split('class="track-form"')[0].rsplit("<form", 1)[1]
    assert 'method="post"' in form
    assert 'name="csrfmiddlewaretoken"' in html.split('class="track-form"')[1].split("</form>")[0]


def test_track_get_with_code_in_the_query_string_looks_nothing_up(client, django_assert_num_queries):
    concern = ConcernFactory()
    with django_assert_num_queries(0):
        response = client.get("/en/concerns/track/", {"code": concern.code})
    # To the bare form, so no link on the page repeats the code.
    assert response.status_code == 302 and response["Location"] == "/en/concerns/track/"
    response = client.get(response["Location"])
    html = response.content.decode()
    assert response.status_code == 200
    assert concern.code not in html and concern.code_display not in html
    assert 'data-status="received"' not in html
    assert value(html, "code") in ("", None)


def test_track_post_is_refused_without_a_csrf_token(concern_form_data):
    from django.test import Client

    concern = ConcernFactory()
    response = Client(enforce_csrf_checks=True).post("/en/concerns/track/", {"code": concern.code})
    assert response.status_code == 403
    assert concern.code_display not in response.content.decode()


def test_submitted_slip_opens_the_status_by_post_not_by_a_link_with_the_code(client, concern_form_data):
    client.post("/en/concerns/new/", concern_form_data())
    concern = Concern.objects.get()
    html = client.get("/en/concerns/new/submitted/").content.decode()
    assert f'href="/en/concerns/track/{concern.code_display}/"' not in html
    assert "?code=" not in html
    form = html.split('class="d-grid status-from-slip"')[1].split("</form>")[0]
    assert f'name="code" value="{concern.code_display}"' in form
    assert client.post("/en/concerns/track/", {"code": concern.code_display}).status_code == 200


@pytest.mark.parametrize("code", ["nonsense", "<script>alert(1)</script>", "AAAA", "x" * 300])
def test_track_malformed_code_explains(client, code):
    response = client.post("/es/concerns/track/", {"code": code})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in html
    assert "<script>alert(1)</script>" not in html


def test_track_unknown_code_explains_and_keeps_the_code(client):
    response = client.post("/en/concerns/track/", {"code": "ZZZZ-ZZZZ-ZZ"})
    html = response.content.decode()
    assert response.status_code == 404
    assert "We could not find a concern with this code." in html
    assert value(html, "code") == "ZZZZ-ZZZZ-ZZ"
    response = client.get("/en/concerns/track/ZZZZ-ZZZZ-ZZ/")
    assert response.status_code == 404
    assert "We could not find a concern with this code." in response.content.decode()


def test_track_empty_code_asks_for_one(client):
    response = client.post("/en/concerns/track/", {"code": ""})
    assert response.status_code == 400
    assert "Enter your tracking code." in response.content.decode()


def test_status_page_shows_response_in_submitter_language_and_no_personal_data(client):
    concern = ConcernFactory(
        language="es",
        contact_method="email",
        email="ana@example.org",
        place="Calle 5",
        status="action_taken",
        public_response_es="Pusimos un agente en la escuela.",
        public_response_en="We put an officer at the school.",
    )
    html = client.get(f"/en/concerns/track/{concern.code}/").content.decode()
    assert "Pusimos un agente en la escuela." in html
    assert "We put an officer at the school." not in html
    assert "translation-fallback" not in html
    for private in ["ana@example.org", "Calle 5", concern.text]:
        assert private not in html


def test_status_page_marks_a_fallback_response_visibly(client):
    concern = ConcernFactory(language="ar", status="closed", public_response_en="We fixed the light.")
    html = client.get(f"/ar/concerns/track/{concern.code}/").content.decode()
    assert "We fixed the light." in html
    assert 'class="alert alert-warning translation-fallback"' in html


def test_status_page_without_a_response_says_so(client):
    concern = ConcernFactory()
    html = client.get(f"/en/concerns/track/{concern.code}/").content.decode()
    assert "There is no answer yet." in html


def test_you_said_we_did_lists_published_actions_with_community_and_quarter(client):
    from django.utils import timezone

    from liaison.quarters import Quarter

    community = CommunityFactory(name="Bhutanese", name_en="Bhutanese", name_es="Butaneses")
    ConcernFactory(
        community=community,
        status="action_taken",
        closed_at=timezone.now(),
        published=True,
        published_at=timezone.now(),
        public_summary_en="Parents asked for a crossing guard; we placed one.",
        public_summary_es="Los padres pidieron un guardia de cruce; pusimos uno.",
    )
    ConcernFactory(status="action_taken", public_summary_en="Not published yet.")
    html = client.get("/es/you-said-we-did/").content.decode()
    assert "Los padres pidieron un guardia de cruce; pusimos uno." in html
    assert "Butaneses" in html
    assert str(Quarter.current()) in html or Quarter.current().key[:4] in html
    assert "Not published yet." not in html
    assert "translation-fallback" not in html


def test_you_said_we_did_marks_missing_translation_visibly(client):
    from django.utils import timezone

    ConcernFactory(
        status="closed",
        published=True,
        published_at=timezone.now(),
        public_summary_en="We now hold meetings with an Arabic interpreter.",
    )
    html = client.get("/ar/you-said-we-did/").content.decode()
    assert "We now hold meetings with an Arabic interpreter." in html
    assert "translation-fallback" in html


def test_submission_writes_no_session_and_hands_the_code_on_in_a_signed_page_scoped_cookie(
    client, concern_form_data
):
    from django.contrib.sessions.models import Session

    from feedback.models import Concern
    from feedback.views import CODE_COOKIE

    response = client.post("/es/concerns/new/", concern_form_data())
    assert response.status_code == 302
    assert Session.objects.count() == 0  # an anonymous visitor gets no session row
    cookie = response.cookies[CODE_COOKIE]
    assert (
        cookie["httponly"]
        and cookie["samesite"] == "Strict"
        and cookie["path"] == "/es/concerns/new/submitted/"
    )
    assert cookie.value.count(":") == 2  # code:timestamp:signature (the visitor's own code)
    assert Concern.objects.get().code_display in client.get("/es/concerns/new/submitted/").content.decode()
    # A cookie altered by hand is no code: the visitor is sent to the tracking page.
    client.cookies[CODE_COOKIE] = cookie.value[:-3] + "abc"
    assert client.get("/es/concerns/new/submitted/")["Location"].endswith("/concerns/track/")
