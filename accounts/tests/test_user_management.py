import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STRONG = "a-perfectly-fine-passphrase"


def create(client, **overrides):
    data = {
        "username": "dewi",
        "first_name": "Dewi",
        "last_name": "Lestari",
        "email": "dewi@example.com",
        "phone": "+62 812 0000 1111",
        "role": Role.MANAGER.value,
        "password1": STRONG,
        "password2": STRONG,
    } | overrides
    return client.post(reverse("accounts:user_create"), data)


def test_admin_creates_a_user_with_a_role(client, admin_user):
    client.force_login(admin_user)
    response = create(client)
    assert response.headers["Location"] == reverse("accounts:user_list")
    dewi = User.objects.get(username="dewi")
    assert dewi.role == Role.MANAGER
    assert dewi.phone == "+62 812 0000 1111"
    assert dewi.check_password(STRONG)
    assert not dewi.is_staff  # Django admin is for the Admin role only


def test_a_new_admin_may_use_django_admin(client, admin_user):
    client.force_login(admin_user)
    create(client, role=Role.ADMIN.value)
    assert User.objects.get(username="dewi").is_staff


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password2": "something-else-entirely"}, "password2"),
        ({"password1": "123", "password2": "123"}, "password1"),
        ({"username": "ROOT"}, "username"),  # usernames are unique whatever their case
        ({"email": "not-an-email"}, "email"),
        ({"role": "Wizard"}, "role"),
    ],
)
def test_bad_input_gets_a_field_error_and_creates_nothing(client, admin_user, overrides, field):
    client.force_login(admin_user)
    before = User.objects.count()
    response = create(client, **overrides)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert User.objects.count() == before


def test_email_addresses_are_unique_whatever_their_case(client, admin_user):
    UserFactory(email="dewi@example.com")
    client.force_login(admin_user)
    response = create(client, email="DEWI@example.com")
    assert "email" in response.context["form"].errors or response.context["form"].non_field_errors()
    assert not User.objects.filter(username="dewi").exists()


def test_admin_changes_a_users_role_and_deactivates_them(client, admin_user, make_user):
    ana = make_user(Role.STAFF)
    client.force_login(admin_user)
    response = client.post(
        reverse("accounts:user_update", args=[ana.pk]),
        {"first_name": "Ana", "last_name": "", "email": "", "phone": "", "role": "Manager"},
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.role == Role.MANAGER
    assert list(ana.groups.values_list("name", flat=True)) == ["Manager"]
    assert not ana.is_active  # the unticked box


def test_admin_cannot_remove_their_own_admin_role_or_deactivate_themselves(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("accounts:user_update", args=[admin_user.pk]),
        {"first_name": "", "last_name": "", "email": "", "phone": "", "role": "Staff"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"role", "is_active"}
    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN
    assert admin_user.is_active


def test_user_list_filters_by_role_and_search(client, admin_user, make_user):
    make_user(Role.STAFF, username="kasir1")
    make_user(Role.MANAGER, username="kepala")
    client.force_login(admin_user)
    by_role = client.get(reverse("accounts:user_list"), {"role": "Staff"})
    assert [u.username for u in by_role.context["object_list"]] == ["kasir1"]
    by_text = client.get(reverse("accounts:user_list"), {"q": "kep"})
    assert [u.username for u in by_text.context["object_list"]] == ["kepala"]


def test_user_list_runs_a_fixed_number_of_queries(client, admin_user, django_assert_num_queries):
    client.force_login(admin_user)
    UserFactory.create_batch(3, role=Role.STAFF)
    # session, user, permissions, count, page, groups, lockouts, and for the navbar the
    # user's role and unread count
    with django_assert_num_queries(9) as few:
        client.get(reverse("accounts:user_list"))
    UserFactory.create_batch(40, role=Role.MANAGER)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("accounts:user_list"))
    assert len(response.context["object_list"]) == 44
