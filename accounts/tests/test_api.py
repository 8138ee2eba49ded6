import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = reverse("api:token_obtain")


@pytest.fixture
def api():
    return APIClient()


def obtain(api, username, password=DEFAULT_PASSWORD):
    return api.post(TOKEN_URL, {"username": username, "password": password}, format="json")


def test_jwt_for_a_user_reads_their_role_and_permissions(api, make_user):
    make_user(Role.MANAGER, username="boss")
    tokens = obtain(api, "boss").json()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    me = api.get(reverse("api:me")).json()
    assert me["username"] == "boss"
    assert me["role"] == "Manager"
    assert "accounts.change_user" not in me["permissions"]


def test_admin_sees_admin_role_and_its_permissions(api, make_user):
    api.force_authenticate(make_user(Role.ADMIN))
    me = api.get(reverse("api:me")).json()
    assert me["role"] == "Admin"
    assert "accounts.change_user" in me["permissions"]


def test_session_signed_in_browser_can_use_the_api(client, make_user):
    client.force_login(make_user(Role.STAFF, username="kasir"))
    assert client.get(reverse("api:me")).json()["username"] == "kasir"


def test_anonymous_api_client_gets_401_with_a_bearer_challenge(api):
    response = api.get(reverse("api:me"))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_wrong_password_gets_401(api, make_user):
    make_user(Role.STAFF, username="kasir")
    assert obtain(api, "kasir", "wrong").status_code == 401


def test_refresh_token_gives_a_new_access_token(api, make_user):
    make_user(Role.STAFF, username="kasir")
    refresh = obtain(api, "kasir").json()["refresh"]
    response = api.post(reverse("api:token_refresh"), {"refresh": refresh}, format="json")
    assert response.status_code == 200
    assert response.json()["access"]


def test_a_locked_account_gets_a_clear_429_from_the_token_endpoint(api, make_user):
    make_user(Role.STAFF, username="kasir")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        obtain(api, "kasir", f"wrong-{attempt}")
    response = obtain(api, "kasir")
    assert response.status_code == 429
    assert "locked" in response.json()["detail"]


def test_password_change_revokes_issued_tokens(api, client, make_user):
    user = make_user(Role.STAFF, username="kasir")
    access = obtain(api, "kasir").json()["access"]
    client.force_login(user)
    new = "a-brand-new-passphrase"
    changed = client.post(
        reverse("accounts:password_change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed.status_code == 302
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    assert api.get(reverse("api:me")).status_code == 401
