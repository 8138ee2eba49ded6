import re

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import DEFAULT_PASSWORD
from inventory_site.settings import base as base_settings

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-and-long-passphrase"


def test_passwords_are_hashed_with_argon2_outside_tests():
    assert base_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.parametrize("hasher", ["argon2"])
def test_argon2_hashes_and_verifies(settings, make_user, hasher):
    settings.PASSWORD_HASHERS = base_settings.PASSWORD_HASHERS
    user = make_user(Role.STAFF)
    user.set_password(NEW_PASSWORD)
    assert identify_hasher(user.password).algorithm == hasher
    assert user.check_password(NEW_PASSWORD)


def test_password_change_ends_the_other_sessions_but_keeps_this_one(make_user):
    user = make_user(Role.STAFF)
    here, elsewhere = Client(), Client()
    here.force_login(user)
    elsewhere.force_login(user)
    response = here.post(
        reverse("accounts:password_change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert here.get(reverse("home")).status_code == 200
    # The other browser's session no longer matches the password: it is signed out.
    assert elsewhere.get(reverse("home")).status_code == 302


def test_password_change_with_wrong_old_password_shows_a_field_error(client, make_user):
    client.force_login(make_user(Role.STAFF))
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors


def test_password_reset_by_email_sets_a_new_password(client, make_user):
    make_user(Role.STAFF, username="ana", email="ana@example.com")
    response = client.post(reverse("accounts:password_reset"), {"email": "ana@example.com"})
    assert response.headers["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.headers["Location"] == reverse("accounts:password_reset_complete")
    signed_in = client.post(
        reverse("accounts:login"), {"username": "ana", "password": NEW_PASSWORD}
    )
    assert signed_in.headers["Location"] == reverse("home")

    # The link works once.
    client.logout()
    assert not client.get(link, follow=True).context["validlink"]


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response.headers["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []
