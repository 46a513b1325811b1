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
