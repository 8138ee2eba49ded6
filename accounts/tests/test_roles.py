import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from accounts import roles
from accounts.roles import Role, roles_sync, user_role

pytestmark = pytest.mark.django_db


def test_migrate_creates_the_three_role_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Admin", "Manager", "Staff"}


def test_admin_role_holds_every_permission():
    admin = Group.objects.get(name="Admin")
    assert admin.permissions.count() == Permission.objects.count()


def test_setup_roles_twice_changes_nothing(capsys):
    call_command("setup_roles")
    before = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    call_command("setup_roles")
    out = capsys.readouterr().out
    after = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    assert before == after
    assert out.count("unchanged") >= 6


def test_setup_roles_repairs_a_group_whose_permissions_were_edited_away():
    admin = Group.objects.get(name="Admin")
    admin.permissions.clear()
    assert roles_sync()[Role.ADMIN] is True
    assert admin.permissions.count() == Permission.objects.count()


def test_setup_roles_removes_a_permission_added_by_hand():
    staff = Group.objects.get(name="Staff")
    staff.permissions.add(Permission.objects.get(codename="delete_user"))
    roles_sync()
    assert not staff.permissions.filter(codename="delete_user").exists()


def test_setup_roles_recreates_a_deleted_group():
    Group.objects.filter(name="Manager").delete()
    roles_sync()
    assert Group.objects.filter(name="Manager").exists()


def test_a_role_naming_an_unknown_permission_fails_loudly(monkeypatch):
    monkeypatch.setitem(roles.ROLE_PERMISSIONS, Role.STAFF, frozenset({"accounts.fly_user"}))
    with pytest.raises(LookupError, match=r"accounts\.fly_user"):
        roles_sync()


def test_user_role_is_the_highest_role_group(make_user):
    user = make_user(Role.STAFF)
    user.groups.add(Group.objects.get(name="Manager"))
    assert user_role(user) == Role.MANAGER


def test_superuser_counts_as_admin_and_no_group_means_no_role(make_user):
    assert user_role(make_user(is_superuser=True)) == Role.ADMIN
    assert user_role(make_user()) is None


def test_staff_and_managers_cannot_manage_users(make_user):
    for role in (Role.STAFF, Role.MANAGER):
        assert not make_user(role).has_perm("accounts.change_user")
    assert make_user(Role.ADMIN).has_perm("accounts.change_user")
