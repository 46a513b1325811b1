import datetime as dt

import pytest

from liaison.models import Assignment, Contact, LanguageSkill
from tests.e2e.conftest import login
from tests.factories import CommunityFactory, LiaisonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def amina():
    liaison = LiaisonFactory(user__username="amina", user__first_name="Amina", user__last_name="Hassan")
    somali = CommunityFactory(name="Somali", name_ar="الصوماليون", name_es="Somalíes", slug="somali")
    CommunityFactory(name="Latino", slug="latino")
    Assignment.objects.create(liaison=liaison, community=somali, starts_on=dt.date(2024, 1, 1))
    LanguageSkill.objects.create(liaison=liaison, language="so", proficiency=1)
    LanguageSkill.objects.create(liaison=liaison, language="ar", proficiency=2)
    return liaison


def test_liaison_logs_a_contact_on_a_phone_and_sees_it_counted(phone, watch, amina):
    login(phone, "amina")
    phone.goto("/en/contacts/new/")
    # Defaults did most of the work: today's date, her one community, people reached 1.
    assert phone.locator("#id_date").input_value() == dt.date.today().isoformat()
    assert phone.get_by_label("Somali").is_checked()
    assert phone.locator("#id_people_reached").input_value() == "1"
    # Nothing overflows a 375-pixel screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_label("Informal visit").check()
    phone.fill("#id_people_reached", "6")
    phone.get_by_role("button", name="Save contact").click()
    phone.wait_for_url("**/saved/")
    assert phone.get_by_role("heading", name="Contact saved").is_visible()
    assert phone.locator(".contacts-count").inner_text() == "1"
    phone.get_by_role("link", name="See my contacts").click()
    assert phone.locator(".contact-list li").count() == 1
    assert "Informal visit" in phone.locator(".contact-list").inner_text()
    assert Contact.objects.get().people_reached == 6
    assert watch.console_errors == []
    assert watch.foreign_requests == []


def test_liaison_bad_input_is_explained_and_kept(phone, amina):
    login(phone, "amina")
    phone.goto("/en/contacts/new/")
    phone.fill("#id_people_reached", "0")
    phone.get_by_role("button", name="Save contact").click()
    summary = phone.locator("#error-summary")
    assert summary.is_visible()
    assert "Choose what kind of contact it was." in summary.inner_text()
    assert "People reached must be at least 1." in summary.inner_text()
    assert phone.locator("#id_people_reached").input_value() == "0"
    assert Contact.objects.count() == 0


@pytest.mark.parametrize(
    ("lang", "label", "community"),
    [
        ("en", "Somali", "Somali"),
        ("es", "Somalí", "Somalíes"),
        ("ar", None, "الصوماليون"),
    ],
)
def test_liaison_public_directory_by_language(page, watch, amina, lang, label, community):
    LiaisonFactory(user__first_name="Luis", user__last_name="García").languages.create(language="es")
    page.goto(f"/{lang}/liaisons/")
    page.select_option("#id_language", "so")
    page.locator("form[method=get] button[type=submit]").click()
    cards = page.locator(".liaison-card")
    assert cards.count() == 1
    assert "Amina Hassan" in cards.inner_text()
    assert community in cards.inner_text()
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert watch.foreign_requests == []


def test_liaison_logs_a_phone_call_in_four_taps_and_one_typed_field(browser, live_server):
    """Issue 11: on a 375x812 phone, from the page a liaison lands on after signing in: the
    common case (kind, community, people reached, save) is at most 4 taps and 1 typed field;
    Save stays on screen; the language follows what she last used with that community."""
    liaison = LiaisonFactory(user__username="hodan", user__first_name="Hodan", user__last_name="Osman")
    somali = CommunityFactory(name="Somali", slug="somali-4")
    women = CommunityFactory(name="Immigrant women", slug="women-4")
    for community in (somali, women):
        Assignment.objects.create(liaison=liaison, community=community, starts_on=dt.date(2024, 1, 1))
    LanguageSkill.objects.create(liaison=liaison, language="so", proficiency=1)
    LanguageSkill.objects.create(liaison=liaison, language="ar", proficiency=2)
    # Her history: Somali with the Somali community, Arabic with the women's group (last).
    for community, language in ((somali, "so"), (women, "ar")):
        contact = Contact.objects.create(
            liaison=liaison,
            date=dt.date.today(),
            kind=Contact.Kind.PHONE_CALL,
            people_reached=1,
            language=language,
        )
        contact.communities.set([community])
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True, base_url=live_server.url
    )
    phone = context.new_page()
    login(phone, "hodan")
    phone.goto("/en/contacts/")
    taps, typed = 0, 0

    phone.get_by_role("link", name="Log a contact").first.tap()
    taps += 1
    phone.wait_for_url("**/contacts/new/")
    save = phone.get_by_role("button", name="Save contact")
    assert phone.get_by_label("Phone call").is_checked()  # the kind she logged last
    assert not phone.get_by_label("Somali").is_checked()  # two communities: she chooses
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    phone.get_by_label("Somali").tap()
    taps += 1
    assert phone.locator("#id_language").input_value() == "so"  # what she last used with them
    phone.fill("#id_people_reached", "3")
    typed += 1
    box = save.bounding_box()
    assert box and box["y"] + box["height"] <= 812, "Save is off screen"
    save.tap()
    taps += 1
    phone.wait_for_url("**/saved/")
    assert taps <= 4 and typed <= 1
    saved = Contact.objects.filter(liaison=liaison).latest("created_at")
    assert (saved.kind, saved.language, saved.people_reached) == (Contact.Kind.PHONE_CALL, "so", 3)
    assert list(saved.communities.all()) == [somali]
    context.close()
