"""A coordinator manages users and roles in the admin without being able to grant itself or
anyone else more than it holds, and never sets another person's password."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from messaging.models import Message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(role_user):
    return role_user("Coordinator", is_staff=True)


@pytest.fixture
def admin_client(coordinator):
    client = Client()
    client.force_login(coordinator)
    return client


def change_form_data(user, **overrides):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "groups": [str(g.pk) for g in user.groups.all()],
        "user_permissions": [str(p.pk) for p in user.user_permissions.all()],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def test_coordinator_cannot_tick_superuser_on_itself(admin_client, coordinator):
    page = admin_client.get(f"/admin/auth/user/{coordinator.pk}/change/")
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    admin_client.post(
        f"/admin/auth/user/{coordinator.pk}/change/", change_form_data(coordinator, is_superuser="on")
    )
    coordinator.refresh_from_db()
    assert not coordinator.is_superuser


def test_coordinator_cannot_change_its_own_roles(admin_client, coordinator):
    commander = Group.objects.get(name="Commander")
    groups = [str(g.pk) for g in coordinator.groups.all()] + [str(commander.pk)]
    admin_client.post(
        f"/admin/auth/user/{coordinator.pk}/change/", change_form_data(coordinator, groups=groups)
    )
    assert not coordinator.groups.filter(name="Commander").exists()


def test_coordinator_cannot_grant_a_permission_it_does_not_hold(admin_client, coordinator):
    other = UserFactory()
    foreign = Permission.objects.get(codename="delete_user")  # coordinators cannot delete users
    assert not coordinator.has_perm("auth.delete_user")
    response = admin_client.post(
        f"/admin/auth/user/{other.pk}/change/", change_form_data(other, user_permissions=[str(foreign.pk)])
    )
    assert response.status_code == 200  # the form comes back with an error
    assert not other.user_permissions.exists()


def test_coordinator_cannot_add_a_foreign_permission_to_a_role(admin_client, coordinator):
    group = Group.objects.get(name="Liaison officer")
    foreign = Permission.objects.get(codename="delete_user")
    admin_client.post(
        f"/admin/auth/group/{group.pk}/change/",
        {"name": group.name, "permissions": [str(p.pk) for p in group.permissions.all()] + [str(foreign.pk)]},
    )
    assert not group.permissions.filter(pk=foreign.pk).exists()


def test_coordinator_can_give_a_role_it_covers(admin_client, coordinator):
    other = UserFactory()
    liaison_role = Group.objects.get(name="Liaison officer")
    response = admin_client.post(
        f"/admin/auth/user/{other.pk}/change/", change_form_data(other, groups=[str(liaison_role.pk)])
    )
    assert response.status_code == 302
    assert other.groups.filter(name="Liaison officer").exists()


def test_coordinator_cannot_set_another_persons_password(admin_client):
    other = UserFactory()
    response = admin_client.post(
        f"/admin/auth/user/{other.pk}/password/",
        {"password1": "lantern river cobalt", "password2": "lantern river cobalt", "usable_password": "true"},
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert not other.check_password("lantern river cobalt")


def test_coordinator_cannot_open_a_superuser(admin_client):
    root = UserFactory(is_superuser=True, is_staff=True)
    assert admin_client.get(f"/admin/auth/user/{root.pk}/change/").status_code in (302, 403, 404)


def test_coordinator_adds_a_user_who_chooses_a_password_by_reset_mail(admin_client):
    response = admin_client.post(
        "/admin/auth/user/add/",
        {"username": "newliaison", "first_name": "Nima", "last_name": "Rai", "email": "nima@police.example"},
    )
    assert response.status_code == 302
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="newliaison")
    assert not user.has_usable_password()
    assert Message.objects.filter(
        address="nima@police.example", key__startswith="auth:password-reset:"
    ).exists()


def test_superuser_still_sets_passwords(client):
    root = UserFactory(is_superuser=True, is_staff=True)
    other = UserFactory()
    client.force_login(root)
    response = client.post(
        f"/admin/auth/user/{other.pk}/password/",
        {"password1": "lantern river cobalt", "password2": "lantern river cobalt", "usable_password": "true"},
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.check_password("lantern river cobalt")


def test_coordinator_editing_a_user_keeps_roles_and_permissions_it_cannot_grant(admin_client, coordinator):
    security = Group.objects.create(name="IT security")
    security.permissions.add(Permission.objects.get(codename="delete_user"))
    foreign = Permission.objects.get(codename="delete_group")
    other = UserFactory()
    other.groups.add(security)
    other.user_permissions.add(foreign)
    data = change_form_data(other, first_name="Renamed", groups=[], user_permissions=[])
    assert admin_client.post(f"/admin/auth/user/{other.pk}/change/", data).status_code == 302
    other.refresh_from_db()
    assert other.first_name == "Renamed"
    assert other.groups.filter(name="IT security").exists()
    assert other.user_permissions.filter(pk=foreign.pk).exists()


def test_coordinator_editing_a_role_keeps_permissions_it_does_not_hold(admin_client):
    group = Group.objects.create(name="IT security")
    foreign = Permission.objects.get(codename="delete_user")
    group.permissions.add(foreign)
    admin_client.post(
        f"/admin/auth/group/{group.pk}/change/", {"name": "IT security team", "permissions": []}
    )
    group.refresh_from_db()
    assert group.name == "IT security team" and group.permissions.filter(pk=foreign.pk).exists()


def test_a_lock_is_lifted_only_by_the_audited_unlock_never_by_delete(admin_client):
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.create(username="amina", ip_address="10.0.0.1", failures_since_start=5)
    assert (
        admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_authenticator_keys_are_not_in_the_admin(client):
    root = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(root)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404


def test_only_a_superuser_resets_someones_second_step_and_it_is_audited(client, admin_client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from audit.models import Entry
    from tests.conftest import totp_device

    other = UserFactory()
    totp_device(other)
    admin_client.post(
        "/admin/auth/user/", {"action": "reset_second_factor", "_selected_action": [str(other.pk)]}
    )
    assert TOTPDevice.objects.filter(user=other).exists()  # a coordinator has no such action
    root = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(root)
    client.post("/admin/auth/user/", {"action": "reset_second_factor", "_selected_action": [str(other.pk)]})
    assert not TOTPDevice.objects.filter(user=other).exists()
    assert Entry.objects.filter(
        event="mfa.removed", object_pk=str(other.pk), actor_username=root.username
    ).exists()
