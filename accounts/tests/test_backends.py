"""The permissions backend answers as Django's ModelBackend does, in one query."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

from accounts.backends import PermissionsBackend
from accounts.models import User
from accounts.roles import Role

pytestmark = pytest.mark.django_db


def fresh(user):
    return User.objects.get(pk=user.pk)  # no permissions cached on it


@pytest.fixture
def people(make_user):
    own = make_user(Role.STAFF, username="own")
    own.user_permissions.add(Permission.objects.get(codename="delete_product"))
    extra = Group.objects.create(name="auditors")
    extra.permissions.add(
        Permission.objects.get(codename="view_product"),  # also the staff role's
        Permission.objects.get(codename="change_user"),
    )
    both = make_user(Role.MANAGER, username="both")
    both.groups.add(extra)
    return {
        "staff": make_user(Role.STAFF),
        "manager": make_user(Role.MANAGER),
        "admin": make_user(Role.ADMIN),
        "own and role": own,
        "two groups": both,
        "no role": make_user(None),
        "inactive": make_user(Role.MANAGER, is_active=False),
        "superuser": make_user(None, is_superuser=True),
    }


@pytest.mark.parametrize(
    "who",
    ["staff", "manager", "admin", "own and role", "two groups", "no role", "inactive", "superuser"],
)
def test_every_kind_of_user_has_the_permissions_model_backend_gives(people, who):
    user = people[who]
    expected = ModelBackend().get_all_permissions(fresh(user))
    assert PermissionsBackend().get_all_permissions(fresh(user)) == expected
    if who not in ("no role", "inactive"):
        assert expected  # the comparison is not between two empty sets
    if who == "own and role":
        assert "products.delete_product" in expected
    if who == "two groups":
        assert "accounts.change_user" in expected


def test_a_users_permissions_cost_one_query_a_request(people, django_assert_num_queries):
    user = fresh(people["two groups"])
    with django_assert_num_queries(1):
        assert user.has_perm("orders.counter_sale")
        assert user.has_perm("accounts.change_user")
        assert not user.has_perm("accounts.delete_user")
    assert PermissionsBackend().get_all_permissions(user, obj=people["staff"]) == set()
