"""A coordinator edits their own agency's settings and sees each take effect; other roles are
refused; bad input is said per field and keeps what was typed."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from agencies import context
from agencies.models import Agency
from audit import events
from audit.models import Entry

pytestmark = pytest.mark.django_db

URL = "/en/staff/agency/"


def _form(**overrides):
    data = {
        "name": "",
        "languages": ["en", "es", "ar"],
        "default_language": "en",
        "time_zone": "",
        "quarter_start_month": "",
        "concern_contact_retention_days": "",
        "message_address_retention_days": "",
        "sender_email": "",
        "sms_number": "",
        "submit_rate": "",
        "track_rate": "",
        "signup_rate": "",
    }
    data.update(overrides)
    return data


def _png(size=(40, 20), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (13, 59, 102)).save(buffer, fmt)
    return buffer.getvalue()


def _agency() -> Agency:
    return Agency.objects.get(pk=context.default_agency_id())


@pytest.fixture
def coordinator(client, role_user):
    client.force_login(role_user("Coordinator"))
    return client


@pytest.mark.parametrize("role", ["Liaison officer", "Commander"])
def test_only_coordinators_change_the_agency_settings(client, role_user, role):
    client.force_login(role_user(role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, _form(name="Taken over")).status_code == 403
    assert _agency().name != "Taken over"


def test_a_default_sender_with_a_name_and_angle_brackets_is_shown_as_written(coordinator, settings):
    # "Name <address>" was written into the page as a tag, so the coordinator read "Left empty: Bridge ."
    settings.DEFAULT_FROM_EMAIL = "Bridge <bridge@county.example>"
    page = coordinator.get(URL).content.decode()
    assert "Left empty: <bdi>Bridge &lt;bridge@county.example&gt;</bdi>." in page
    assert "<bridge@county.example>" not in page


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_page_names_each_default_and_lists_languages_in_their_own_names(coordinator, settings):
    page = coordinator.get(URL).content.decode()
    # The deployment's limit for new concerns, isolated so it keeps its order right to left.
    assert "Left empty: <bdi>5/h</bdi>." in page
    assert f"Left empty: <bdi>{settings.TIME_ZONE}</bdi>." in page
    assert 'lang="ar" dir="rtl"' in page and "العربية" in page
    assert 'href="/en/staff/agency/"' in page  # the staff navigation leads here


def test_the_coordinator_renames_the_agency_and_the_header_and_email_from_follow(coordinator):
    response = coordinator.post(
        URL, _form(name="Storm Lake Police Liaison", sender_email="liaison@stormlake.example"), follow=True
    )
    page = response.content.decode()
    assert "The agency&#x27;s settings are saved." in page
    assert 'class="agency-name">Storm Lake Police Liaison<' in page
    entry = Entry.objects.filter(event=events.AGENCY_SETTINGS_CHANGED).get()
    assert {"name", "sender_email"} <= set(entry.data["fields"])
    assert "liaison@stormlake.example" not in str(entry.data)  # names of fields, no values
    assert "Storm Lake Police Liaison" in coordinator.get("/en/").content.decode()


def test_bad_input_is_said_per_field_and_keeps_the_other_values(coordinator):
    response = coordinator.post(
        URL,
        _form(
            name="Kept name",
            languages=["es", "ar"],
            default_language="en",
            sms_number="12345",
            submit_rate="five an hour",
            sender_email="not-an-address",
            concern_contact_retention_days="0",
            time_zone="Mars/Olympus",
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose a default language among those offered." in page
    assert "Enter the number in international form, with + and the country code." in page
    assert "Write a number of requests, a slash and s, m, h or d, for example 5/h." in page
    assert "Enter an e-mail address such as bridge@example.org." in page
    assert "Ensure this value is greater than or equal to 1." in page
    assert "Select a valid choice." in page
    assert 'value="Kept name"' in page
    assert _agency().name != "Kept name"


def test_offering_no_language_is_refused(coordinator):
    page = coordinator.post(URL, _form(languages=[])).content.decode()
    assert "Offer at least one language." in page


def test_the_logo_must_be_a_small_png_or_jpeg(coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    svg = SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml")
    page = coordinator.post(URL, {**_form(), "logo": svg}).content.decode()
    assert "The logo must be a PNG or JPEG picture." in page
    big = SimpleUploadedFile("logo.png", b"\x89PNG" + b"0" * (1024 * 1024 + 1), "image/png")
    page = coordinator.post(URL, {**_form(), "logo": big}).content.decode()
    assert "The logo is larger than 1 MB" in page
    assert not _agency().logo


def test_a_logo_shows_in_the_header_with_alt_text(coordinator, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    logo = SimpleUploadedFile("anything.jpeg", _png(fmt="JPEG"), "image/jpeg")
    coordinator.post(URL, {**_form(name="Storm Lake Police"), "logo": logo})
    client.logout()
    page = client.get("/en/").content.decode()
    assert 'alt="Logo of Storm Lake Police"' in page
    response = client.get("/en/agency/logo/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_a_time_zone_becomes_the_default_of_new_events(coordinator):
    coordinator.post(URL, _form(time_zone="Asia/Tokyo"))
    page = coordinator.get("/en/outreach/events/new/").content.decode()
    assert '<option value="Asia/Tokyo" selected>' in page


def test_the_reporting_year_start_changes_the_dashboard_quarter(coordinator, role_user):
    import datetime as dt

    from liaison.quarters import Quarter

    coordinator.post(URL, _form(quarter_start_month="10"))
    coordinator.force_login(role_user("Commander"))
    page = coordinator.get("/en/dashboard/").content.decode()
    today = dt.date.today()
    year = today.year + 1 if today.month >= 10 else today.year
    number = (today.month - 10) % 12 // 3 + 1
    assert f"FY{year} Q{number}" in page
    assert str(Quarter(year, number)) == f"Q{number} {year}"  # outside the agency: calendar quarters


def test_a_language_no_longer_offered_leaves_the_switcher_and_its_prefix_redirects(coordinator, client):
    coordinator.post(URL, _form(languages=["en", "ar"], default_language="ar"))
    client.logout()
    page = client.get("/ar/").content.decode()
    assert 'lang="ar"' in page and 'value="es"' not in page and 'value="en"' in page
    response = client.get("/es/events/?page=2")
    assert response.status_code == 302 and response["Location"] == "/ar/events/?page=2"
    # The root picks among the offered languages: Spanish is not, English is.
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="es,en;q=0.5")["Location"] == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="es")["Location"] == "/ar/"


@pytest.fixture
def outbox_in_process(settings, tmp_path):
    from bridge.celery import app
    from messaging.services import _drop_smtp

    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    was = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield tmp_path / "sms" / "outbox.jsonl"
    app.conf.task_always_eager = was
    _drop_smtp()


def test_e_mail_and_sms_go_out_from_the_agency_sender(
    coordinator, outbox_in_process, django_capture_on_commit_callbacks
):
    import json

    from django.core import mail

    from messaging.services import Outgoing, message_queue

    coordinator.post(
        URL,
        _form(
            name="Storm Lake Police", sender_email="liaison@stormlake.example", sms_number="+1 412 555 0100"
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        message_queue(
            outgoing=[
                Outgoing(
                    key="t:1",
                    channel="email",
                    address="a@example.org",
                    language="en",
                    subject="Hi",
                    body="Hi",
                ),
                Outgoing(
                    key="t:2", channel="sms", address="+14125550199", language="en", subject="", body="Hi"
                ),
            ]
        )
    assert mail.outbox[0].from_email == "Storm Lake Police <liaison@stormlake.example>"
    [sms] = [json.loads(line) for line in outbox_in_process.read_text().splitlines()]
    assert sms["from"] == "+14125550100"


@pytest.mark.parametrize("lang", ["ar", "fa", "ur"])
def test_the_sms_number_example_keeps_its_plus_sign_in_front_in_right_to_left_languages(coordinator, lang):
    """An example number inside a right-to-left sentence is isolated: unisolated, its plus sign
    is drawn after the digits ("14125550100+")."""
    page = coordinator.get(f"/{lang}/staff/agency/").content.decode()
    assert page.count("<bdi>+14125550100</bdi>") == 1
    assert "+14125550100" not in page.replace("<bdi>+14125550100</bdi>", "")
