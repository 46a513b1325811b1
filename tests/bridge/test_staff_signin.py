"""Staff sign-in as a department's IT security office will try it: lockout after 5 failures,
a second factor on every staff page and the admin, 30 idle minutes, 12-character passwords,
a password reset that goes through the outbox and is throttled."""

import datetime as dt
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from messaging.models import Message
from tests.conftest import totp_code, totp_device
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


def sign_in(client, username, password, lang="en"):
    return client.post(f"/{lang}/accounts/login/", {"username": username, "password": password})


def test_lockout_five_wrong_passwords_then_even_the_right_one_is_refused(client):
    user = UserFactory()
    for _ in range(4):
        assert sign_in(client, user.username, "wrong password!").status_code == 200
    assert sign_in(client, user.username, "wrong password!").status_code == 429  # the fifth locks
    response = sign_in(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "Try again in 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_message_is_in_the_readers_language(client):
    user = UserFactory()
    for _ in range(6):
        response = sign_in(client, user.username, "wrong password!", lang="es")
    assert response.status_code == 429
    assert response.headers["Content-Language"] == "es"
    assert "Vuelva a intentarlo" in response.content.decode() or "Inténtelo" in response.content.decode()


def test_lockout_four_failures_still_let_the_right_password_in(client):
    user = UserFactory()
    for _ in range(4):
        sign_in(client, user.username, "wrong password!")
    response = sign_in(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_lockout_per_address_stops_guessing_across_accounts():
    client = Client(REMOTE_ADDR="10.9.8.7")
    for n in range(5):
        sign_in(client, f"guess{n}", "wrong password!")
    someone = UserFactory()
    assert sign_in(client, someone.username, PASSWORD).status_code == 429
    # The same account from another address is not locked: only this address is.
    assert sign_in(Client(REMOTE_ADDR="10.9.8.8"), someone.username, PASSWORD).status_code == 302


def test_lockout_ends_after_the_cool_off(client):
    user = UserFactory()
    for _ in range(5):
        sign_in(client, user.username, "wrong password!")
    assert sign_in(client, user.username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert sign_in(client, user.username, PASSWORD).status_code == 302


def test_lockout_applies_to_the_admin_login_too(client):
    user = UserFactory(is_staff=True)
    for _ in range(5):
        client.post(
            "/admin/login/", {"username": user.username, "password": "wrong password!", "otp_token": "123456"}
        )
    response = client.post(
        "/admin/login/",
        {"username": user.username, "password": PASSWORD, "otp_token": totp_code(totp_device(user))},
    )
    assert response.status_code == 429


def test_lockout_a_coordinator_unlocks_from_the_admin(client, role_user):
    user = UserFactory()
    for _ in range(5):
        sign_in(client, user.username, "wrong password!")
    assert sign_in(client, user.username, PASSWORD).status_code == 429
    coordinator = role_user("Coordinator", is_staff=True)
    admin = Client()
    admin.force_login(coordinator)
    changelist = admin.get("/admin/axes/accessattempt/")
    assert changelist.status_code == 200 and user.username in changelist.content.decode()
    ids = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]
    admin.post("/admin/axes/accessattempt/", {"action": "unlock", "_selected_action": ids})
    assert not AccessAttempt.objects.exists()
    assert sign_in(client, user.username, PASSWORD).status_code == 302


# --- Second factor ---------------------------------------------------------------------------


def test_mfa_first_sign_in_is_sent_to_enrolment_and_no_staff_page_opens_before(client, role_user):
    user = role_user("Liaison officer")
    response = sign_in(client, user.username, PASSWORD)
    assert response.status_code == 302
    page = client.get("/en/contacts/")
    assert page.status_code == 302 and page["Location"].startswith("/en/accounts/mfa/")
    setup = client.get("/en/accounts/mfa/setup/")
    assert setup.status_code == 200
    assert "data:image/svg+xml" in setup.content.decode()


def test_mfa_enrolment_with_the_right_code_gives_ten_recovery_codes(client, role_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = role_user("Liaison officer")
    sign_in(client, user.username, PASSWORD)
    client.get("/en/accounts/mfa/setup/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post("/en/accounts/mfa/setup/", {"token": "000000"}).status_code == 400
    time.sleep(1.1)  # django-otp makes each wrong code cost a wait (1 s, then 2 s, 4 s ...)
    response = client.post("/en/accounts/mfa/setup/", {"token": totp_code(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/en/staff/").status_code == 302  # on to the role's start page
    assert client.get("/en/contacts/").status_code == 200


def test_mfa_existing_device_cannot_be_replaced_with_only_the_password(client):
    user = UserFactory()
    totp_device(user)
    sign_in(client, user.username, PASSWORD)
    response = client.get("/en/accounts/mfa/setup/")
    assert response.status_code == 302 and response["Location"].startswith("/en/accounts/mfa/?")


def test_mfa_challenge_wrong_code_refused_right_code_and_recovery_code_accepted(client, role_user):
    from bridge.staff import mfa

    user = role_user("Liaison officer")
    device = totp_device(user)
    codes = mfa.mfa_recovery_codes_renew(user=user)
    sign_in(client, user.username, PASSWORD)
    assert client.post("/en/accounts/mfa/", {"token": "123 456"}).status_code in (400, 429)
    assert client.get("/en/contacts/").status_code == 302
    time.sleep(1.1)  # the wrong code cost a second's wait
    response = client.post("/en/accounts/mfa/", {"token": totp_code(device), "next": "/en/contacts/"})
    assert response.status_code == 302 and response["Location"] == "/en/contacts/"
    assert client.get("/en/contacts/").status_code == 200

    other = Client()
    sign_in(other, user.username, PASSWORD)
    assert other.post("/en/accounts/mfa/", {"token": codes[0]}).status_code == 302
    assert other.get("/en/contacts/").status_code == 200
    assert mfa.mfa_recovery_codes_left(user) == 9  # a recovery code works once


def test_mfa_next_never_leaves_the_site(client):
    user = UserFactory()
    device = totp_device(user)
    sign_in(client, user.username, PASSWORD)
    response = client.post("/en/accounts/mfa/", {"token": totp_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/en/staff/"


def test_mfa_admin_needs_the_second_factor(client, role_user):
    coordinator = role_user("Coordinator", is_staff=True)
    sign_in(client, coordinator.username, PASSWORD)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/accounts/mfa/" in response["Location"]
    anonymous = Client()
    response = anonymous.post("/admin/login/", {"username": coordinator.username, "password": PASSWORD})
    assert "_auth_user_id" not in anonymous.session  # the password alone does not open the admin


def test_mfa_public_pages_stay_open_to_a_signed_in_unverified_person(client):
    user = UserFactory()
    sign_in(client, user.username, PASSWORD)
    assert client.get("/en/").status_code == 200
    assert client.get("/en/concerns/new/").status_code == 200


# --- Sessions and passwords --------------------------------------------------------------------


def test_session_ends_after_the_idle_time_and_activity_keeps_it(client, settings, role_user):
    settings.SESSION_COOKIE_AGE = 2
    client.force_login(role_user("Liaison officer"))
    assert client.get("/en/contacts/").status_code == 200
    time.sleep(1.2)
    assert client.get("/en/contacts/").status_code == 200  # active: renewed
    time.sleep(1.2)
    assert client.get("/en/contacts/").status_code == 200
    time.sleep(2.5)
    response = client.get("/en/contacts/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_session_cookie_ends_with_the_browser_and_lasts_30_minutes_idle(client, settings, role_user):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client.force_login(role_user("Liaison officer"))
    client.get("/en/contacts/")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]


@pytest.mark.parametrize("password", ["Summer2024", "bridge-demo", "password12345", "123456789012"])
def test_password_weak_ones_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password, UserFactory.build(username="amina"))


def test_password_twelve_unrelated_characters_are_accepted():
    validate_password("lantern river cobalt", UserFactory.build(username="amina"))


# --- Password reset ------------------------------------------------------------------------------


def test_password_reset_goes_through_the_outbox_in_the_askers_language(client):
    user = UserFactory(email="amina@police.example")
    response = client.post("/es/accounts/password_reset/", {"email": "amina@police.example"})
    assert response.status_code == 302
    message = Message.objects.get(address="amina@police.example")
    assert message.key.startswith(f"auth:password-reset:{user.pk}:")
    assert message.language == "es"
    assert "/es/accounts/reset/" in message.body


def test_password_reset_unknown_address_looks_the_same_and_sends_nothing(client):
    response = client.post("/en/accounts/password_reset/", {"email": "nobody@police.example"})
    assert response.status_code == 302
    assert not Message.objects.exists()


def test_password_reset_is_throttled_per_address():
    UserFactory(email="amina@police.example")
    client = Client(REMOTE_ADDR="10.1.2.3")
    statuses = [
        client.post("/en/accounts/password_reset/", {"email": f"x{n}@police.example"}).status_code
        for n in range(6)
    ]
    assert statuses[:5] == [302] * 5 and statuses[5] == 429


def test_password_reset_is_throttled_per_account_across_addresses():
    UserFactory(email="amina@police.example")
    statuses = [
        Client(REMOTE_ADDR=f"10.2.3.{n}").post(
            "/en/accounts/password_reset/", {"email": "amina@police.example"}
        )
        for n in range(6)
    ]
    assert [r.status_code for r in statuses][-1] == 429
    assert Message.objects.count() == 5
    assert "Try again in" in statuses[-1].content.decode()


# --- Audit trail of sign-in security -----------------------------------------------------------


def events_for(user):
    from audit.models import Entry

    return list(
        Entry.objects.filter(actor_username=user.username).order_by("pk").values_list("event", flat=True)
    )


def test_audit_enrolment_codes_and_wrong_and_right_second_step_are_recorded(client, role_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from audit import events

    user = role_user("Liaison officer")
    sign_in(client, user.username, PASSWORD)
    client.get("/en/accounts/mfa/setup/")
    client.post("/en/accounts/mfa/setup/", {"token": totp_code(TOTPDevice.objects.get(user=user))})
    assert events.MFA_ENROLLED in events_for(user) and events.MFA_RECOVERY_CODES in events_for(user)

    other = Client(REMOTE_ADDR="10.7.7.7")
    sign_in(other, user.username, PASSWORD)
    other.post("/en/accounts/mfa/", {"token": "999999"})
    from audit.models import Entry

    failed = Entry.objects.filter(event=events.MFA_FAILED, actor_username=user.username).get()
    assert failed.remote_addr == "10.7.7.7"
    time.sleep(1.1)
    client.post("/en/accounts/security/recovery-codes/")
    codes = client.post("/en/accounts/security/recovery-codes/").context["codes"]
    sign_in(other, user.username, PASSWORD)
    other.post("/en/accounts/mfa/", {"token": codes[0]})
    verified = Entry.objects.filter(event=events.MFA_VERIFIED, actor_username=user.username).get()
    assert verified.data == {"method": "recovery_code"}


def test_audit_unlock_and_password_reset_are_recorded(client, role_user):
    from audit import events
    from audit.models import Entry

    user = UserFactory(email="amina@police.example")
    for _ in range(5):
        sign_in(client, user.username, "wrong password!")
    coordinator = role_user("Coordinator", is_staff=True)
    admin = Client()
    admin.force_login(coordinator)
    ids = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]
    admin.post("/admin/axes/accessattempt/", {"action": "unlock", "_selected_action": ids})
    unlocked = Entry.objects.get(event=events.ACCOUNT_UNLOCKED)
    assert unlocked.actor_username == coordinator.username and unlocked.data["username"] == user.username
    client.post("/en/accounts/password_reset/", {"email": "amina@police.example"})
    assert Entry.objects.filter(event=events.PASSWORD_RESET_REQUESTED, object_pk=str(user.pk)).exists()


def test_mfa_moving_to_a_new_phone_replaces_the_old_authenticator(client, role_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = role_user("Liaison officer")
    old = totp_device(user)
    client.force_login(user)
    assert "Move the second step to a new phone" in client.get("/en/accounts/security/").content.decode()
    # A session that passed the second step once is not enough to change it: a code again.
    response = client.get("/en/accounts/mfa/setup/")
    assert response.status_code == 302 and "again=1" in response["Location"]
    assert client.get(response["Location"]).status_code == 200
    confirmed = client.post(
        "/en/accounts/mfa/", {"token": totp_code(old), "again": "1", "next": "/en/accounts/mfa/setup/"}
    )
    assert confirmed["Location"] == "/en/accounts/mfa/setup/"
    assert client.get("/en/accounts/mfa/setup/").status_code == 200
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post("/en/accounts/mfa/setup/", {"token": totp_code(new)}).status_code == 200
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True)) == [new.pk]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_lockout_signing_in_with_ones_own_account_does_not_forgive_guesses_at_another(role_user):
    victim = UserFactory()
    insider = role_user("Liaison officer")
    device = totp_device(insider)
    client = Client(REMOTE_ADDR="10.3.3.3")
    for round_ in range(2):
        for _ in range(2 if round_ else 4):
            sign_in(client, victim.username, "a guess!")
        sign_in(client, insider.username, PASSWORD)
        if round_ == 0:
            assert client.post("/en/accounts/mfa/", {"token": totp_code(device)}).status_code == 302
        client.post("/en/accounts/logout/")
    # 6 guesses at the victim in all, with the insider's full sign-in between: still locked.
    assert sign_in(Client(REMOTE_ADDR="10.3.3.4"), victim.username, PASSWORD).status_code == 429


def test_lockout_own_typos_are_forgiven_after_the_second_factor(role_user):
    user = role_user("Liaison officer")
    device = totp_device(user)
    client = Client(REMOTE_ADDR="10.4.4.4")
    for _ in range(4):
        sign_in(client, user.username, "typo!")
    sign_in(client, user.username, PASSWORD)
    assert client.post("/en/accounts/mfa/", {"token": totp_code(device)}).status_code == 302
    assert not AccessAttempt.objects.filter(username=user.username).exists()


def test_password_change_form_refuses_a_weak_password_and_audits_a_good_one(client, role_user):
    from audit.models import Entry

    user = role_user("Liaison officer")
    client.force_login(user)
    weak = client.post(
        "/en/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "Summer2024", "new_password2": "Summer2024"},
    )
    assert weak.status_code == 200 and "at least 12 characters" in weak.content.decode()
    good = client.post(
        "/en/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "lantern river cobalt",
            "new_password2": "lantern river cobalt",
        },
    )
    assert good.status_code == 302
    assert Entry.objects.filter(event="auth.password_changed", actor_username=user.username).exists()


def test_password_reset_link_refuses_a_weak_password_and_audits_the_new_one(client):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from audit.models import Entry

    user = UserFactory()
    url = f"/en/accounts/reset/{urlsafe_base64_encode(force_bytes(user.pk))}/{default_token_generator.make_token(user)}/"
    form_url = client.get(url)["Location"]  # Django moves the token into the session first
    weak = client.post(form_url, {"new_password1": "Summer2024", "new_password2": "Summer2024"})
    assert weak.status_code == 200 and "at least 12 characters" in weak.content.decode()
    good = client.post(
        form_url, {"new_password1": "lantern river cobalt", "new_password2": "lantern river cobalt"}
    )
    assert good.status_code == 302
    user.refresh_from_db()
    assert user.check_password("lantern river cobalt")
    assert Entry.objects.filter(event="auth.password_reset_done", actor_username=user.username).exists()


def test_mfa_new_recovery_codes_need_a_fresh_code_after_five_minutes(client, role_user):
    from bridge.staff.views import RECENT_KEY

    user = role_user("Liaison officer")
    device = totp_device(user)
    client.force_login(user)
    session = client.session
    session[RECENT_KEY] = int(time.time()) - 6 * 60
    session.save()
    response = client.post("/en/accounts/security/recovery-codes/")
    assert response.status_code == 302 and "again=1" in response["Location"]
    client.post(
        "/en/accounts/mfa/", {"token": totp_code(device), "again": "1", "next": "/en/accounts/security/"}
    )
    response = client.post("/en/accounts/security/recovery-codes/")
    assert response.status_code == 200 and len(response.context["codes"]) == 10


def test_password_reset_limit_per_account_ignores_case_and_spaces():
    UserFactory(email="amina@police.example")
    spellings = [
        "amina@police.example",
        "Amina@police.example",
        " AMINA@police.example",
        "amina@POLICE.example ",
    ]
    statuses = [
        Client(REMOTE_ADDR=f"10.5.6.{n}")
        .post("/en/accounts/password_reset/", {"email": spellings[n % 4]})
        .status_code
        for n in range(6)
    ]
    assert statuses[-1] == 429


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_security_notice_tells_the_person_when_their_second_step_or_password_changes(client, role_user, lang):
    user = role_user("Liaison officer", email="amina@police.example")
    device = totp_device(user)
    client.force_login(user)
    client.post(f"/{lang}/accounts/mfa/", {"token": totp_code(device), "again": "1", "next": "/"})
    client.post(f"/{lang}/accounts/security/recovery-codes/")
    client.post(
        f"/{lang}/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "lantern river cobalt",
            "new_password2": "lantern river cobalt",
        },
    )
    notices = Message.objects.filter(address="amina@police.example", key__startswith="auth:security-notice:")
    assert notices.count() == 2
    assert {m.language for m in notices} == {lang}
    bodies = " ".join(m.body for m in notices)
    assert "coordinator" in bodies if lang == "en" else "المنسق" in bodies
