import logging
import re

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


def test_unknown_username_is_locked_out_with_the_same_answer(client, make_user):
    make_user(Role.STAFF, username="ana")

    def lock(username: str, address: str):
        for attempt in range(settings.AXES_FAILURE_LIMIT):
            client.post(
                LOGIN_URL, {"username": username, "password": f"x{attempt}"}, REMOTE_ADDR=address
            )
        return client.post(LOGIN_URL, {"username": username, "password": "x"}, REMOTE_ADDR=address)

    def page(response) -> str:  # the CSRF token is masked differently in every response
        return re.sub(r"[A-Za-z0-9]{64}", "<csrf>", response.content.decode())

    known, unknown = lock("ana", "198.51.100.1"), lock("nobody", "198.51.100.2")
    assert known.status_code == unknown.status_code == 429
    assert page(known) == page(unknown)


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


def test_a_colleagues_sign_in_from_the_same_address_does_not_reset_the_count(client, make_user):
    make_user(Role.ADMIN, username="boss")
    make_user(Role.STAFF, username="kasir")
    # Nine wrong passwords for the admin, then a colleague signs in from the same address...
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "boss", f"wrong-{attempt}")
    assert sign_in(client, "kasir").status_code == 302
    client.post(reverse("accounts:logout"))
    # ...and the tenth wrong password still locks the admin account.
    assert sign_in(client, "boss", "wrong-again").status_code == 429
    assert sign_in(client, "boss").status_code == 429


def test_a_successful_sign_in_forgets_its_own_earlier_failures(client, make_user):
    make_user(Role.STAFF, username="kasir")
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "kasir", f"wrong-{attempt}")
    assert sign_in(client, "kasir").status_code == 302
    client.post(reverse("accounts:logout"))
    assert sign_in(client, "kasir", "one-more-typo").status_code == 200  # not locked


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "client_ip"),
    [
        (0, "203.0.113.50", "10.0.0.2", "10.0.0.2"),  # no proxy: a forged header is ignored
        (1, "198.51.100.9, 203.0.113.50", "10.0.0.2", "203.0.113.50"),  # the proxy's entry
        (2, "198.51.100.9, 203.0.113.50, 10.0.0.9", "10.0.0.2", "203.0.113.50"),
        (1, "", "10.0.0.2", "10.0.0.2"),
    ],
)
def test_client_address_comes_from_the_trusted_proxies_only(
    rf, settings, proxies, forwarded, remote, client_ip
):
    from accounts.client_ip import client_ip as resolve

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert resolve(request) == client_ip


def test_behind_a_proxy_one_client_cannot_lock_out_the_others(client, settings, make_user):
    settings.TRUSTED_PROXY_COUNT = 1
    make_user(Role.STAFF, username="kasir")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN_URL,
            {"username": f"guess{attempt}", "password": "x"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="198.51.100.66",
        )
    honest = client.post(
        LOGIN_URL,
        {"username": "kasir", "password": DEFAULT_PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    assert honest.status_code == 302
