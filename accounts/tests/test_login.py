import logging

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("accounts:login")
INVALID = "Please enter a correct username and password"


def sign_in(client, username, password=DEFAULT_PASSWORD):
    return client.post(LOGIN_URL, {"username": username, "password": password})


def test_correct_password_signs_in_and_lands_on_dashboard(client, make_user):
    make_user(Role.STAFF, username="ana")
    response = sign_in(client, "ana")
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"].username == "ana"


def test_unknown_username_and_wrong_password_get_the_same_answer(client, make_user):
    make_user(Role.STAFF, username="ana")
    unknown = sign_in(client, "nobody", "whatever-password")
    wrong = sign_in(client, "ana", "wrong-password")
    assert unknown.status_code == wrong.status_code == 200
    assert unknown.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()
    assert INVALID in str(wrong.context["form"].non_field_errors())


def test_inactive_user_gets_the_same_answer_as_a_wrong_password(client, make_user):
    make_user(Role.STAFF, username="gone", is_active=False)
    response = sign_in(client, "gone")
    assert INVALID in str(response.context["form"].non_field_errors())


def test_ten_wrong_passwords_lock_the_account_even_for_the_right_password(client, make_user):
    make_user(Role.STAFF, username="ana")
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "ana", f"wrong-{attempt}").status_code == 200
    tenth = sign_in(client, "ana", "wrong-again")
    assert tenth.status_code == 429
    assert "Too many failed sign-in attempts" in tenth.content.decode()

    right = sign_in(client, "ana")
    assert right.status_code == 429
    assert "Too many failed sign-in attempts" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_applies_to_the_account_from_another_address(client, make_user):
    make_user(Role.STAFF, username="ana")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN_URL, {"username": "ana", "password": f"x{attempt}"}, REMOTE_ADDR="198.51.100.7"
        )
    response = client.post(
        LOGIN_URL, {"username": "ana", "password": DEFAULT_PASSWORD}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 429


def test_an_address_trying_many_accounts_is_locked_out(client, make_user):
    make_user(Role.STAFF, username="ana")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN_URL,
            {"username": f"guess{attempt}", "password": "x"},
            REMOTE_ADDR="198.51.100.7",
        )
    response = client.post(
        LOGIN_URL, {"username": "ana", "password": DEFAULT_PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 429
    # The same account from another address is not affected by that address's lockout.
    elsewhere = client.post(
        LOGIN_URL, {"username": "ana", "password": DEFAULT_PASSWORD}, REMOTE_ADDR="203.0.113.9"
    )
    assert elsewhere.status_code == 302


def test_unknown_username_is_locked_out_with_the_same_answer(client):
    answers = {
        sign_in(client, "nobody", f"x{attempt}").status_code
        for attempt in range(settings.AXES_FAILURE_LIMIT + 1)
    }
    assert answers == {200, 429}


def test_lockout_is_logged(client, make_user, caplog):
    make_user(Role.STAFF, username="ana")
    with caplog.at_level(logging.WARNING, logger="inventory.security"):
        for attempt in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, "ana", f"wrong-{attempt}")
    lockouts = [r for r in caplog.records if r.name == "inventory.security"]
    assert lockouts
    assert "locked out" in lockouts[0].getMessage()
    assert "'ana'" in lockouts[0].getMessage()


def test_admin_unlock_lets_the_user_sign_in_again(client, make_user, admin_user):
    make_user(Role.STAFF, username="ana")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "ana", f"wrong-{attempt}")
    assert sign_in(client, "ana").status_code == 429

    admin_client = client.__class__()
    admin_client.force_login(admin_user)
    users_page = admin_client.get(reverse("accounts:user_list"))
    assert "ana" in users_page.context["locked_usernames"]
    ana = User.objects.get(username="ana")
    unlock = admin_client.post(reverse("accounts:user_unlock", args=[ana.pk]))
    assert unlock.status_code == 302

    assert sign_in(client, "ana").status_code == 302


def test_lockout_ends_after_the_cool_off(client, make_user):
    make_user(Role.STAFF, username="ana")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "ana", f"wrong-{attempt}")
    assert sign_in(client, "ana").status_code == 429
    # Age the recorded attempts past the cool-off instead of sleeping through it.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timezone.timedelta(minutes=1)
    )
    assert sign_in(client, "ana").status_code == 302


def test_sign_in_redirects_to_next_page(client, make_user):
    make_user(Role.ADMIN, username="boss")
    response = client.post(
        LOGIN_URL + "?next=/accounts/users/",
        {"username": "boss", "password": DEFAULT_PASSWORD, "next": "/accounts/users/"},
    )
    assert response.headers["Location"] == "/accounts/users/"


def test_sign_out_is_post_only_and_ends_the_session(client, make_user):
    client.force_login(make_user(Role.STAFF))
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
