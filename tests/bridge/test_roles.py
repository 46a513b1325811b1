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
def test_roles_seed_demo_is_idempotent_and_prints_logins():
    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    out = StringIO()
    call_command("seed_demo", stdout=out)
    count = get_user_model().objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert get_user_model().objects.count() == count
    assert "commander" in out.getvalue()
    assert get_user_model().objects.get(username="commander").check_password("bridge-demo")
