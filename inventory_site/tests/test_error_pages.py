import pytest
from django.test import Client
from django.urls import path

from accounts.roles import Role


def boom(request):
    raise RuntimeError("simulated failure")


urlpatterns = [path("boom/", boom)]

pytestmark = pytest.mark.django_db


def test_a_server_error_shows_the_friendly_500_page(settings, make_user):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.STAFF))
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "simulated failure" not in response.content.decode()


def test_an_unknown_page_shows_the_friendly_404_page(client, make_user):
    client.force_login(make_user(Role.STAFF))
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "We couldn" in response.content.decode()


def test_a_forbidden_page_shows_the_friendly_403_page(client, make_user):
    client.force_login(make_user(Role.STAFF))
    response = client.get("/accounts/users/")
    assert response.status_code == 403
    assert "have access to this page" in response.content.decode()
