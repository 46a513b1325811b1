"""Translators' workflow (issue 10): the Translator role, the UI catalogues in django-rosetta
(on a catalogue made for the test, never locale/ itself) and the content translations in the
admin and the staff event form, where a changed source marks its translations stale."""

import hashlib
from pathlib import Path

import polib
import pytest
from django import forms
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from audit import events
from audit.models import Entry
from languages import content
from liaison import roles
from outreach import services
from outreach.models import OutreachEvent
from tests.factories import CommunityFactory, LiaisonFactory, OutreachEventFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
PUBLISHED = OutreachEvent.Status.PUBLISHED
MARK = "machine-assisted (issue 10): awaiting review by a native speaker"
LOCK_LIFTED = "%(count)d lock was lifted."


@pytest.fixture
def translator(role_user):
    return role_user(roles.TRANSLATOR, is_staff=True)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)  # with the second factor (tests/conftest.py)
    return client


@pytest.fixture
def catalogue(tmp_path, settings):
    """A small French catalogue in a LOCALE_PATHS of its own; the project's locale/ (which
    Rosetta also finds next to the settings package) is out of its reach."""
    po = polib.POFile(wrapwidth=79)
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "fr",
        "Plural-Forms": "nplurals=2; plural=(n > 1);",
    }
    po.append(polib.POEntry(msgid="Signed in", msgstr="Connecté", tcomment=MARK))
    po.append(polib.POEntry(msgid="Signed out", msgstr="Déconnexion", tcomment=MARK))
    po.append(
        polib.POEntry(
            msgid=LOCK_LIFTED,
            msgid_plural="%(count)d locks were lifted.",
            msgstr_plural={0: "%(count)d verrou levé.", 1: "%(count)d verrous levés."},
            tcomment=MARK,
        )
    )
    po.append(
        polib.POEntry(
            msgid="Export",
            msgstr="Export",
            flags=["fuzzy"],
            previous_msgid="Exports",
            tcomment=MARK,
        )
    )
    folder = tmp_path / "locale" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po.save(str(folder / "django.po"))
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    settings.ROSETTA_EXCLUDED_PATHS = [*settings.ROSETTA_EXCLUDED_PATHS, str(ROOT / "locale")]
    return folder / "django.po"


def rosetta_form_url(**query) -> str:
    url = reverse("rosetta-form", kwargs={"po_filter": "project", "lang_id": "fr", "idx": 0})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def field(entry: polib.POEntry) -> str:
    """The name Rosetta gives an entry's text box: a hash of what it is now."""
    key = (str(entry.msgid) + str(entry.msgstr) + str(entry.msgctxt or "")).encode("utf8")
    return "m_" + hashlib.md5(key).hexdigest()  # noqa: S324 - Rosetta's own field names


def entry(path: Path, msgid: str) -> polib.POEntry:
    return polib.pofile(str(path)).find(msgid)


# --- The role ---------------------------------------------------------------------------


def test_translator_role_may_change_only_the_translated_content():
    group = Group.objects.get(name=roles.TRANSLATOR)
    assert set(group.permissions.values_list("content_type__app_label", "codename")) == {
        ("liaison", "view_prioritycommunity"),
        ("liaison", "change_prioritycommunity"),
        ("liaison", "view_topic"),
        ("liaison", "change_topic"),
        ("feedback", "view_concerncategory"),
        ("feedback", "change_concerncategory"),
        ("outreach", "view_outreachevent"),
        ("outreach", "change_outreachevent"),
    }


def test_translator_role_can_be_given_by_a_coordinator(role_user):
    from bridge.staff.admin import grantable_groups

    coordinator = role_user(roles.COORDINATOR, is_staff=True)
    assert grantable_groups(coordinator).filter(name=roles.TRANSLATOR).exists()


# --- The UI catalogues in Rosetta -------------------------------------------------------


def test_rosetta_translator_opens_the_french_catalogue(catalogue, translator):
    response = signed_in(translator).get(rosetta_form_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Connecté" in html and "Déconnexion" in html


def test_rosetta_is_closed_to_other_staff_even_with_the_admin(catalogue, role_user):
    liaison = LiaisonFactory().user
    coordinator = role_user(roles.COORDINATOR, is_staff=True)
    not_staff = role_user(roles.TRANSLATOR)  # the role, but no access to the admin
    for user in (liaison, coordinator, not_staff):
        client = signed_in(user)
        for url in (rosetta_form_url(), reverse("rosetta-file-list", kwargs={"po_filter": "project"})):
            response = client.get(url)
            assert response.status_code == 403, (user, url)
            assert "Connecté" not in response.content.decode()


def test_rosetta_needs_a_sign_in_and_the_second_factor(catalogue, translator):
    response = Client().get(rosetta_form_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client = Client()
    client.post("/en/accounts/login/", {"username": translator.username, "password": "correct horse battery"})
    response = client.get(rosetta_form_url())
    assert response.status_code == 302 and "/accounts/mfa/" in response["Location"]


def test_rosetta_lists_only_the_projects_catalogue(catalogue, translator):
    client = signed_in(translator)
    for po_filter in ("project", "third-party", "django", "all"):
        html = client.get(reverse("rosetta-file-list", kwargs={"po_filter": po_filter})).content.decode()
        assert str(catalogue.parent.parent.parent) in html, po_filter
        assert "site-packages" not in html, po_filter


def test_rosetta_saving_an_entry_removes_the_machine_mark_and_is_audited(catalogue, translator):
    signed_in_ = signed_in(translator)
    signed = entry(catalogue, "Signed in")
    response = signed_in_.post(rosetta_form_url(), {field(signed): "Vous êtes connecté"})
    assert response.status_code == 302
    saved = entry(catalogue, "Signed in")
    assert saved.msgstr == "Vous êtes connecté"
    assert "machine-assisted" not in saved.tcomment
    assert MARK in entry(catalogue, "Signed out").tcomment  # not part of this save
    audit = Entry.objects.get(event=events.TRANSLATION_CHANGED)
    assert audit.actor == translator
    assert audit.data["language"] == "fr" and audit.data["msgid"] == "Signed in"
    assert audit.data["machine_assisted_mark_removed"] is True
    assert catalogue.with_suffix(".mo").exists()  # compiled for the next start


def test_rosetta_unchanged_entries_keep_their_mark_plural_ones_too(catalogue, translator):
    """Rosetta signals every plural entry of a page on each save, changed or not."""
    client = signed_in(translator)
    plural = entry(catalogue, LOCK_LIFTED)
    signed = entry(catalogue, "Signed in")
    response = client.post(
        rosetta_form_url(),
        {
            field(signed): "Connecté",
            f"{field(plural)}_0": "%(count)d verrou levé.",
            f"{field(plural)}_1": "%(count)d verrous levés.",
        },
    )
    assert response.status_code == 302
    assert MARK in entry(catalogue, LOCK_LIFTED).tcomment
    assert MARK in entry(catalogue, "Signed in").tcomment
    assert not Entry.objects.filter(event=events.TRANSLATION_CHANGED).exists()

    client.post(
        rosetta_form_url(),
        {
            f"{field(plural)}_0": "%(count)d verrou a été levé.",
            f"{field(plural)}_1": "%(count)d verrous levés.",
        },
    )
    saved = entry(catalogue, LOCK_LIFTED)
    assert saved.msgstr_plural[0] == "%(count)d verrou a été levé."
    assert "machine-assisted" not in saved.tcomment
    assert Entry.objects.filter(event=events.TRANSLATION_CHANGED).count() == 1


def test_rosetta_fuzzy_entries_are_listed_for_review_and_unfuzzied_when_saved(catalogue, translator):
    client = signed_in(translator)
    html = client.get(rosetta_form_url(msg_filter="fuzzy")).content.decode()
    assert "Export" in html and "Connecté" not in html
    fuzzy = entry(catalogue, "Export")
    client.post(rosetta_form_url(msg_filter="fuzzy"), {field(fuzzy): "Exportation"})  # box unticked
    saved = entry(catalogue, "Export")
    assert saved.msgstr == "Exportation" and "fuzzy" not in saved.flags
    assert saved.previous_msgid is None and "machine-assisted" not in saved.tcomment


def test_rosetta_an_entry_left_fuzzy_keeps_its_mark(catalogue, translator):
    fuzzy = entry(catalogue, "Export")
    signed_in(translator).post(
        rosetta_form_url(msg_filter="fuzzy"), {field(fuzzy): "Exportation", f"f_{field(fuzzy)[2:]}": "1"}
    )
    saved = entry(catalogue, "Export")
    assert saved.msgstr == "Exportation" and "fuzzy" in saved.flags
    assert MARK in saved.tcomment
    assert Entry.objects.get(event=events.TRANSLATION_CHANGED).data["machine_assisted_mark_removed"] is False


def test_staff_menu_links_translations_for_translators_only(translator, role_user, admin_user):
    link = reverse("rosetta-file-list", kwargs={"po_filter": "project"})
    assert link in signed_in(translator).get("/en/outreach/events/").content.decode()
    assert link in signed_in(admin_user).get("/en/contacts/").content.decode()
    coordinator = role_user(roles.COORDINATOR, is_staff=True)
    assert link not in signed_in(coordinator).get("/en/contacts/").content.decode()


# --- Content translations in the admin and the staff event form ---------------------------


def form_data(form) -> dict:
    """What a browser sends back for `form` untouched."""
    data = {}
    for bound in form:
        widget = getattr(bound.field.widget, "widget", bound.field.widget)  # the admin's wrapper
        value, name = bound.value(), bound.html_name
        if isinstance(widget, forms.MultiWidget):
            for suffix, sub, part in zip(
                widget.widgets_names, widget.widgets, widget.decompress(value), strict=True
            ):
                if part is not None:
                    data[name + suffix] = sub.format_value(part)
        elif isinstance(widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(widget, forms.Select):
            data[name] = "" if value is None else str(value)
        elif value is not None and widget.format_value(value) is not None:
            data[name] = widget.format_value(value)
    return data


def admin_change(client, obj, **changes):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {**form_data(page.context["adminform"].form), **changes}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    obj.refresh_from_db()
    return page


@pytest.mark.parametrize("status", [OutreachEvent.Status.DRAFT, PUBLISHED])
def test_admin_changed_english_title_marks_the_arabic_one_stale_until_it_is_edited(client, role_user, status):
    event = OutreachEventFactory(
        title_en="Know your rights", title_ar="اعرف حقوقك", title_es="", status=status
    )
    client.force_login(role_user(roles.COORDINATOR, is_staff=True))

    admin_change(client, event, title_en="Know your rights as a tenant")
    assert event.stale_translations == ["ar:title"]
    assert content.localized(event, "title", "ar").language == "en"
    if status == PUBLISHED:
        html = client.get(f"/ar/events/{event.pk}/").content.decode()
        assert "Know your rights as a tenant" in html and "اعرف حقوقك" not in html
    page = client.get(reverse("admin:outreach_outreachevent_change", args=[event.pk])).content.decode()
    assert "Arabic: title" in page

    admin_change(client, event, title_ar="اعرف حقوقك كمستأجر")
    assert event.stale_translations == []
    assert content.localized(event, "title", "ar").text == "اعرف حقوقك كمستأجر"


def test_admin_translator_edits_only_the_translations_of_a_published_event(translator):
    creator = LiaisonFactory().user
    event = OutreachEventFactory(
        title_en="Know your rights", title_ar="اعرف حقوقك", status=PUBLISHED, created_by=creator
    )
    event.stale_translations = ["ar:title"]
    event.save()
    client = signed_in(translator)
    page = admin_change(client, event, title_ar="اعرف حقوقك كمستأجر").content.decode()
    assert 'name="title_ar"' in page and 'name="description_fr"' in page
    for source_or_schedule in (
        'name="title_en"',
        'name="start_0"',
        'name="venue_name"',
        'name="communities"',
    ):
        assert source_or_schedule not in page
    assert "Know your rights" in page  # the source, read-only beside the translations
    assert event.title_ar == "اعرف حقوقك كمستأجر" and event.stale_translations == []
    assert event.title_en == "Know your rights" and event.change_count == 0

    listing = client.get(reverse("admin:outreach_outreachevent_changelist")).content.decode()
    assert "Publish and notify subscribers" not in listing


def test_admin_translator_cannot_rename_a_community_or_change_its_slug(translator):
    community = CommunityFactory(name_en="Bhutanese", slug="bhutanese", name_ne="भुटानी")
    client = signed_in(translator)
    page = admin_change(client, community, name_en="Renamed", slug="renamed", name_ne="भुटानी समुदाय")
    assert 'name="slug"' not in page.content.decode()
    assert (community.name_en, community.slug, community.name_ne) == ("Bhutanese", "bhutanese", "भुटानी समुदाय")


def test_admin_changed_source_of_a_topic_marks_its_translations_stale(client, role_user):
    from liaison.models import Topic

    topic = Topic.objects.create(
        name="Youth", name_en="Youth", name_es="Jóvenes", name_ar="الشباب", slug="youth-x"
    )
    client.force_login(role_user(roles.COORDINATOR, is_staff=True))
    admin_change(client, topic, name_en="Young people")
    assert topic.stale_translations == ["ar:name", "es:name"]


def staff_event_edit(client, event, **changes):
    url = reverse("outreach:staff-event-edit", args=[event.pk])
    form = client.get(url).context["form"]
    response = client.post(url, {**form_data(form), **changes})
    assert response.status_code == 302, response.context["form"].errors
    event.refresh_from_db()


def test_staff_event_form_changed_english_title_marks_the_arabic_one_stale(client):
    liaison = LiaisonFactory()
    event = OutreachEventFactory(
        title_en="Know your rights", title_ar="اعرف حقوقك", status=PUBLISHED, created_by=liaison.user
    )
    client.force_login(liaison.user)
    staff_event_edit(client, event, title_en="Know your rights as a tenant")
    assert event.stale_translations == ["ar:title"]
    assert content.localized(event, "title", "ar").language == "en"

    staff_event_edit(client, event, title_ar="اعرف حقوقك كمستأجر")
    assert event.stale_translations == []
    assert content.localized(event, "title", "ar").language == "ar"


def test_event_update_marks_only_translations_that_have_text(role_user):
    event = OutreachEventFactory(title_en="Forum", title_ar="منتدى", description_en="Bring a friend")
    coordinator = role_user(roles.COORDINATOR)
    services.event_update(actor=coordinator, event=event, title_en="Open forum", description_en="Bring two")
    event.refresh_from_db()
    assert event.stale_translations == ["ar:title"]  # no Arabic description to go stale
    services.event_update(actor=coordinator, event=event, venue_name="Carrick Library, room 2")
    event.refresh_from_db()
    assert event.stale_translations == ["ar:title"]  # nothing about the texts changed


def test_admin_translator_cannot_reorder_or_hide_concern_categories_from_the_list(translator, role_user):
    listing = reverse("admin:feedback_concerncategory_changelist")
    assert 'name="form-0-position"' not in signed_in(translator).get(listing).content.decode()
    coordinator = role_user(roles.COORDINATOR, is_staff=True)
    assert 'name="form-0-position"' in signed_in(coordinator).get(listing).content.decode()


def test_admin_translator_confirms_a_translation_that_is_still_right(translator):
    event = OutreachEventFactory(title_en="Know your rights!", title_ar="اعرف حقوقك", status=PUBLISHED)
    event.stale_translations = ["ar:title"]
    event.save()
    assert content.localized(event, "title", "ar").language == "en"
    client = signed_in(translator)
    response = client.post(
        reverse("admin:outreach_outreachevent_changelist"),
        {"action": "confirm_translations", "_selected_action": [event.pk]},
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.stale_translations == []
    assert content.localized(event, "title", "ar").text == "اعرف حقوقك"
