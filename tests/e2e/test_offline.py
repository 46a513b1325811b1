"""The field app where the signal doesn't reach: Playwright's offline mode against the real
server, the real service worker and the device's own IndexedDB. Contacts and attendance
saved offline reach the server exactly once; what the server refuses comes back to the form;
an ended session asks for a sign-in and then sends; signing out clears the device."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from liaison.models import Assignment, Contact, LanguageSkill, PriorityCommunity
from outreach.models import EventAttendance
from tests.conftest import wait_for
from tests.e2e.conftest import axe_violations, login, phone_context
from tests.factories import CommunityFactory, LiaisonFactory, past_event

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def amina():
    liaison = LiaisonFactory(user__username="amina", user__first_name="Amina", user__last_name="Hassan")
    somali = CommunityFactory(name="Somali", name_ar="الصوماليون", slug="somali")
    CommunityFactory(name="Latino", name_ar="اللاتينيون", slug="latino")
    Assignment.objects.create(liaison=liaison, community=somali, starts_on=dt.date(2024, 1, 1))
    LanguageSkill.objects.create(liaison=liaison, language="so", proficiency=1)
    return liaison


@pytest.fixture
def device(browser, live_server):
    """A 375-pixel phone whose pages axe may inspect (its script is injected inline)."""
    contexts = []

    def make():
        context = phone_context(browser, live_server.url, bypass_csp=True)
        contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.errors = errors
        return page

    yield make
    for context in contexts:
        context.close()


def open_field_app(page, path="/en/contacts/new/"):
    """Open a field-app page online once the worker controls it, so the device keeps it."""
    page.goto(path)
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    if not page.evaluate("!!navigator.serviceWorker.controller"):
        page.reload()
    assert page.evaluate("!!navigator.serviceWorker.controller")
    page.reload()  # through the worker: the account's copy of the page is saved now


def offline_form(device, path="/en/contacts/new/", lang="en"):
    """A phone signed in as Amina, with the form at `path` opened once online, now offline
    and the form opened again from the device."""
    phone = device()
    login(phone, "amina", lang=lang)
    open_field_app(phone, path)
    phone.context.set_offline(True)
    phone.reload()
    return phone


def log_offline(page, people: int, community: str | None = None):
    before = page.locator(".offline-item").count()
    page.get_by_label("Informal visit").check()
    if community:
        page.get_by_label(community).check()
    page.fill("#id_people_reached", str(people))
    # From the keyboard: the list above the form grows as items are saved, and a tap aimed
    # while it redraws can land beside the button.
    page.get_by_role("button", name="Save contact").press("Enter")
    expect(page.locator(".offline-item")).to_have_count(before + 1)
    assert page.locator(".offline-saved-note").is_visible()


def axe_at_top(page) -> list[str]:
    # From the top: the sticky Save bar covers whatever is scrolled beneath it, which axe's
    # target-size rule would count against the controls under it.
    page.evaluate("window.scrollTo(0, 0)")
    return axe_violations(page)


def sign_out(page):
    """The phone's menu, opened to the end of its slide (a tap while it slides can miss)."""
    page.get_by_role("button", name="Menu").click()
    page.locator("#site-nav.show").wait_for()
    page.get_by_role("button", name="Sign out").click()


def waiting(page) -> str:
    return page.locator("#offline-status").inner_text()


def test_offline_three_contacts_reach_the_server_exactly_once(device, amina, live_server):
    phone = offline_form(device)  # no network: the page comes from the device
    assert phone.get_by_role("heading", name="Log a contact").is_visible()
    assert phone.locator(".quarter-progress").is_visible()  # "My quarter" too
    for people in (3, 5, 8):
        log_offline(phone, people)
    assert "Waiting to send: 3" in waiting(phone)
    assert "You are offline" in waiting(phone)
    assert phone.locator(".offline-item").count() == 3
    assert Contact.objects.count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_at_top(phone) == []

    phone.context.set_offline(False)
    wait_for(lambda: Contact.objects.count() == 3)
    phone.locator("#offline-status", has_text="Sent: 3").wait_for()
    somali = PriorityCommunity.objects.get(slug="somali")
    contacts = Contact.objects.order_by("people_reached")
    assert [c.people_reached for c in contacts] == [3, 5, 8]
    assert {c.liaison_id for c in contacts} == {amina.pk}
    assert {c.date for c in contacts} == {timezone.localdate()}
    assert all(list(c.communities.all()) == [somali] for c in contacts)
    assert all(c.client_id for c in contacts)
    assert phone.errors == []


def test_offline_page_closed_while_sending_sends_the_rest_once_reopened(device, amina):
    phone = offline_form(device)
    for people in (2, 4, 6):
        log_offline(phone, people)
    posts = []

    def lose_second_answer(route):
        if route.request.method != "POST":
            return route.continue_()
        posts.append(route.request.url)
        if len(posts) == 2:
            route.fetch()  # the server logs it; the answer never reaches the page
            return route.abort("connectionreset")
        return route.continue_()

    phone.route("**/contacts/queue/", lose_second_answer)
    phone.context.set_offline(False)
    wait_for(lambda: len(posts) >= 2 and Contact.objects.count() == 2)
    phone.close()  # in the middle of sending

    again = phone.context.new_page()
    again.goto("/en/contacts/new/")
    wait_for(lambda: Contact.objects.count() == 3)
    expect(again.locator(".offline-item")).to_have_count(0)
    assert sorted(Contact.objects.values_list("people_reached", flat=True)) == [2, 4, 6]
    assert again.locator(".offline-item").count() == 0


def test_offline_contact_refused_by_the_server_comes_back_to_the_form_and_is_sent(device, amina):
    phone = offline_form(device)
    log_offline(phone, 7)
    # While the phone was away, Somali stopped being a priority community.
    PriorityCommunity.objects.filter(slug="somali").update(
        active_until=timezone.localdate() - dt.timedelta(days=1)
    )
    phone.context.set_offline(False)
    refused = phone.locator(".offline-item.offline-refused")
    refused.wait_for()
    assert "Not a priority community" in refused.inner_text()
    assert "To correct before it can be sent: 1" in waiting(phone)
    assert Contact.objects.count() == 0
    assert axe_at_top(phone) == []

    refused.get_by_role("link", name="Correct it").click()
    banner = phone.locator(".offline-editing-note")
    banner.wait_for()
    assert "Not a priority community" in banner.inner_text()
    assert phone.locator("#id_people_reached").input_value() == "7"  # what was typed is kept
    phone.get_by_label("Somali").uncheck()
    phone.get_by_label("Latino").check()
    phone.get_by_role("button", name="Save contact").click()
    phone.wait_for_url("**/saved/")
    contact = Contact.objects.get()
    assert contact.people_reached == 7
    assert [c.slug for c in contact.communities.all()] == ["latino"]
    phone.goto("/en/contacts/new/")
    assert phone.locator(".offline-item").count() == 0
    assert phone.errors == []


def test_offline_an_ended_session_leads_to_sign_in_and_then_the_queue_is_sent(device, amina):
    phone = offline_form(device)
    log_offline(phone, 9)
    log_offline(phone, 11)
    phone.context.clear_cookies()  # the session ended while the phone was offline
    phone.context.set_offline(False)
    action = phone.locator("#offline-action a")
    action.wait_for()
    assert "Your session has ended" in waiting(phone)
    assert Contact.objects.count() == 0

    # Someone else signing in on this phone sees nothing of Amina's queue.
    other = LiaisonFactory(user__username="luis")
    Assignment.objects.create(
        liaison=other, community=PriorityCommunity.objects.get(slug="latino"), starts_on=dt.date(2024, 1, 1)
    )
    login(phone, "luis")
    phone.goto("/en/contacts/new/")
    assert phone.locator(".offline-item").count() == 0
    assert phone.locator("#offline-panel").is_hidden()
    sign_out(phone)
    phone.wait_for_url("**/en/")

    phone.goto("/en/contacts/new/")  # to the sign-in page, and back here after it
    login(phone, "amina")
    assert "/contacts/new/" in phone.url
    wait_for(lambda: Contact.objects.count() == 2)
    assert set(Contact.objects.values_list("liaison__user__username", flat=True)) == {"amina"}
    phone.locator("#offline-status", has_text="Sent: 2").wait_for()


def test_offline_sign_out_warns_about_unsent_contacts_and_clears_the_device(device, amina):
    phone = device()
    login(phone, "amina")
    open_field_app(phone)
    store = phone.evaluate("JSON.parse(document.getElementById('bridge-offline').textContent).store")
    phone.context.set_offline(True)
    phone.reload()
    log_offline(phone, 4)
    # The server will not take it as it is: it stays on the device, unsent.
    PriorityCommunity.objects.filter(slug="somali").update(
        active_until=timezone.localdate() - dt.timedelta(days=1)
    )
    phone.context.set_offline(False)
    phone.locator(".offline-item.offline-refused").wait_for()
    sign_out(phone)
    dialog = phone.get_by_role("dialog", name="Not sent yet")
    dialog.wait_for()
    assert "Not sent yet: 1" in dialog.inner_text()
    # Measured once the dialog has faded in: half-way, its buttons' colours are half-drawn.
    phone.wait_for_function("getComputedStyle(document.querySelector('.modal.show')).opacity === '1'")
    assert axe_at_top(phone) == []
    dialog.get_by_role("button", name="Sign out and delete them").click()
    phone.wait_for_url("**/en/")
    names = phone.evaluate("async () => (await indexedDB.databases()).map((d) => d.name)")
    assert f"bridge-queue-{store}" not in names
    assert f"bridge-staff-{store}" not in phone.evaluate("async () => await caches.keys()")
    assert Contact.objects.count() == 0


def test_offline_a_contact_kept_too_long_on_the_device_is_flagged(device, amina):
    phone = offline_form(device, "/ar/contacts/new/", lang="ar")
    phone.locator("input[name=kind][value=informal_visit]").check()
    phone.locator("form.contact-form button[type=submit]").click()
    expect(phone.locator(".offline-item")).to_have_count(1)
    assert phone.locator(".offline-stale").count() == 0
    # Four days later (the limit is BRIDGE_OFFLINE_STALE_DAYS, 3).
    phone.evaluate(
        """async () => {
            const store = JSON.parse(document.getElementById("bridge-offline").textContent).store;
            const [item] = await BridgeStore.list(store);
            await BridgeStore.update(store, item.id, { createdAt: Date.now() - 4 * 24 * 3600 * 1000 });
        }"""
    )
    phone.reload()
    stale = phone.locator(".offline-item .offline-stale")
    stale.wait_for()
    assert "3" in stale.inner_text() and "Saved more than" not in stale.inner_text()  # in Arabic
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_at_top(phone) == []


def test_offline_attendance_recorded_offline_is_counted_once(device, amina):
    event = past_event(amina, [PriorityCommunity.objects.get(slug="somali")])
    phone = offline_form(device, f"/en/outreach/events/{event.pk}/attendance/")
    phone.fill("#id_total", "25")
    phone.get_by_label("Somali").fill("10")
    phone.get_by_role("button", name="Save attendance").click()
    phone.locator(".offline-saved-note").wait_for()
    assert "Waiting to send: 1" in waiting(phone)
    phone.context.set_offline(False)
    wait_for(lambda: EventAttendance.objects.filter(event=event).exists())
    phone.locator("#offline-status", has_text="Sent: 1").wait_for()
    attendance = EventAttendance.objects.get(event=event)
    assert attendance.total == 25 and attendance.by_community.get().count == 10
    assert attendance.contacts.count() == 1


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_offline_public_home_and_meetings_are_readable_once_visited(device, lang):
    page = device()
    page.goto(f"/{lang}/")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()
    page.goto(f"/{lang}/events/")
    english = {"banner": "In an emergency, call 911.", "meetings": "Meetings"}
    page.context.set_offline(True)
    page.goto(f"/{lang}/")
    banner = page.locator(".emergency-banner").inner_text()
    assert "911" in banner
    assert (english["banner"] in banner) == (lang == "en")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator("footer a[href$='/privacy/']").is_visible()  # the privacy promise
    page.goto(f"/{lang}/events/")
    assert page.locator("h1").is_visible()
    page.goto(f"/{lang}/liaisons/")  # never read: the offline page, in the same language
    assert page.locator("html").get_attribute("lang") == lang
    assert "911" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_at_top(page) == []
