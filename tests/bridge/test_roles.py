import pytest
from django.contrib.auth.models import Group


@pytest.mark.django_db
def test_roles_three_groups_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Liaison officer",
        "Commander",
        "Coordinator",
    }


@pytest.mark.django_db
def test_roles_commander_and_coordinator_see_dashboard_liaison_does_not(role_user):
    assert role_user("Commander").has_perm("dashboard.view_dashboard")
    assert role_user("Coordinator").has_perm("dashboard.export_figures")
    assert not role_user("Liaison officer").has_perm("dashboard.view_dashboard")


@pytest.mark.django_db
def test_roles_seed_demo_is_idempotent_and_prints_logins(settings):
    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    settings.SITE_URL = "http://10.0.0.5:8080"
    out = StringIO()
    call_command("seed_demo", allow_without_debug=True, stdout=out)
    count = get_user_model().objects.count()
    call_command("seed_demo", allow_without_debug=True, stdout=StringIO())
    assert get_user_model().objects.count() == count
    assert "commander" in out.getvalue()
    # The demo regional analyst, and the second agency whose figures it sums with this one's.
    assert "Regional analyst" in out.getvalue() and "Riverside Police Department" in out.getvalue()
    # The address it serves at (SITE_URL; `make run HOST=... PORT=...` sets it), not a fixed one.
    assert "Open http://10.0.0.5:8080/en/" in out.getvalue() and "127.0.0.1:8000" not in out.getvalue()
    assert get_user_model().objects.get(username="commander").check_password("bridge-demo-login")


@pytest.mark.django_db
def test_roles_seed_demo_refuses_with_debug_off_unless_told(settings):
    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo")


@pytest.mark.django_db
def test_roles_seed_demo_prints_what_a_newcomer_needs_for_the_second_factor(settings):
    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django_otp.oath import TOTP

    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    device = get_user_model().objects.get(username="liaison").totpdevice_set.get()
    code = StringIO()
    call_command("demo_code", "liaison", stdout=code)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    assert code.getvalue().strip() == f"{totp.token():06d}"
    assert "authenticator key" in out.getvalue() and "demo_code" in out.getvalue()
    # Every login seed_demo prints, the regional analyst's included, gets its code this way.
    for username in ("commander", "coordinator", "regional"):
        assert username in out.getvalue()
        code = StringIO()
        call_command("demo_code", username, stdout=code)
        device = get_user_model().objects.get(username=username).totpdevice_set.get(confirmed=True)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        assert code.getvalue().strip() == f"{totp.token():06d}"


@pytest.mark.django_db
def test_roles_seed_demo_never_gives_a_real_account_the_published_password():
    from django.core.management import CommandError, call_command

    from tests.factories import UserFactory

    real = UserFactory(username="coordinator", email="mei.chen@police.example")
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("seed_demo", allow_without_debug=True)
    real.refresh_from_db()
    assert real.check_password("correct horse battery")
