"""The shared layout: dashboard per role, pagination and empty-state partials."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "manager_cards", "admin_cards"),
    [(Role.STAFF, False, False), (Role.MANAGER, True, False), (Role.ADMIN, True, True)],
)
def test_dashboard_cards_depend_on_the_role(client, make_user, role, manager_cards, admin_cards):
    client.force_login(make_user(role))
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="staff-cards"' in html
    assert ('data-testid="manager-cards"' in html) is manager_cards
    assert ('data-testid="admin-cards"' in html) is admin_cards


def test_admin_dashboard_counts_locked_accounts(client, admin_user):
    AccessAttempt.objects.create(
        username="ana",
        ip_address="192.0.2.1",
        user_agent="x",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/",
    )
    client.force_login(admin_user)
    counts = client.get(reverse("home")).context["user_counts"]
    assert counts == {"active": 1, "inactive": 0, "locked": 1}


def test_a_user_without_a_role_is_told_to_ask_for_one(client, make_user):
    client.force_login(make_user(role=None))
    assert "no role yet" in client.get(reverse("home")).content.decode()


def test_pagination_links_keep_the_filters(client, admin_user):
    UserFactory.create_batch(55, role=Role.STAFF)
    client.force_login(admin_user)
    html = client.get(reverse("accounts:user_list"), {"role": "Staff"}).content.decode()
    assert "1\u201350 of 55" in html  # en dash
    assert 'href="?role=Staff&amp;page=2"' in html


def test_an_empty_list_shows_the_empty_state(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("accounts:user_list"), {"q": "no-such-person"}).content.decode()
    assert 'data-testid="empty-state"' in html
    assert "No users match these filters" in html


def test_flash_message_after_saving_is_shown_once(client, admin_user, make_user):
    user = make_user(Role.STAFF, username="kasir")
    client.force_login(admin_user)
    response = client.post(
        reverse("accounts:user_update", args=[user.pk]),
        {"first_name": "", "last_name": "", "email": "", "phone": "", "role": "Staff"},
        follow=True,
    )
    assert "User kasir saved." in response.content.decode()
    assert "User kasir saved." not in client.get(reverse("home")).content.decode()


def test_pages_give_htmx_the_csrf_token(client, make_user):
    client.force_login(make_user(Role.STAFF))
    html = client.get(reverse("home")).content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


def test_an_expired_form_gets_a_friendly_page(make_user):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    response = browser.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_django_admin_is_for_the_admin_role_only_whatever_is_staff_says(client, make_user):
    demoted = make_user(Role.MANAGER, is_staff=True)  # e.g. an admin moved to Manager in admin
    client.force_login(demoted)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login/")
    html = client.get(reverse("home")).content.decode()
    assert 'data-nav="admin:index"' not in html
