"""The inbox: the bell's unread count, opening and marking notifications, and their API."""

import pytest
from django.urls import reverse

from accounts.models import Notification
from accounts.notifications import notify
from accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox_of(make_user):
    me, other = make_user(Role.MANAGER), make_user(Role.MANAGER)
    notify([me], kind="low_stock", text="Low stock: Kopi", link="/products/1/")
    notify([me], kind="low_stock", text="Low stock: Teh", link="https://evil.example/")
    notify([other], kind="low_stock", text="Low stock: Gula", link="/")
    return me, other


def test_the_bell_shows_the_unread_count(client, inbox_of):
    me, _other = inbox_of
    client.force_login(me)
    html = client.get(reverse("home")).content.decode()
    # the bell beside the menu button on phones, and in the menu bar on wider screens
    assert html.count('data-testid="unread-count" aria-hidden="true">2<') == 2
    assert 'aria-label="Notifications: 2 unread"' in html
    Notification.objects.filter(recipient=me).update(is_read=True)
    assert 'data-testid="unread-count"' not in client.get(reverse("home")).content.decode()


def test_the_inbox_lists_only_my_notifications_unread_first(client, inbox_of):
    me, _other = inbox_of
    Notification.objects.filter(text__endswith="Teh").update(is_read=True)
    client.force_login(me)
    response = client.get(reverse("accounts:inbox"))
    assert [n.text for n in response.context["object_list"]] == [
        "Low stock: Kopi",
        "Low stock: Teh",
    ]
    assert "Gula" not in response.content.decode()


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, inbox_of):
    me, _other = inbox_of
    client.force_login(me)
    kopi = Notification.objects.get(text__endswith="Kopi")
    response = client.post(reverse("accounts:notification_open", args=[kopi.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/products/1/"
    kopi.refresh_from_db()
    assert kopi.is_read


def test_a_link_to_another_site_is_never_followed(client, inbox_of):
    me, _other = inbox_of
    client.force_login(me)
    teh = Notification.objects.get(text__endswith="Teh")
    response = client.post(reverse("accounts:notification_open", args=[teh.pk]))
    assert response["Location"] == reverse("accounts:inbox")


def test_nobody_opens_someone_elses_notification(client, inbox_of):
    me, _other = inbox_of
    client.force_login(me)
    gula = Notification.objects.get(text__endswith="Gula")
    assert client.post(reverse("accounts:notification_open", args=[gula.pk])).status_code == 404
    gula.refresh_from_db()
    assert not gula.is_read


def test_mark_all_read_touches_only_mine(client, inbox_of):
    me, other = inbox_of
    client.force_login(me)
    response = client.post(reverse("accounts:notification_read_all"), follow=True)
    assert "2 notification(s) marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=me, is_read=False).exists()
    assert Notification.objects.filter(recipient=other, is_read=False).count() == 1


def test_the_notification_api_is_per_user(client, inbox_of):
    me, _other = inbox_of
    client.force_login(me)
    listed = client.get(reverse("api:notification-list"), {"is_read": "false"}).json()
    assert [n["text"] for n in listed["results"]] == ["Low stock: Teh", "Low stock: Kopi"]
    kopi = Notification.objects.get(text__endswith="Kopi")
    read = client.post(reverse("api:notification-read", args=[kopi.pk])).json()
    assert read["is_read"] is True
    gula = Notification.objects.get(text__endswith="Gula")
    assert client.post(reverse("api:notification-read", args=[gula.pk])).status_code == 404
    assert client.post(reverse("api:notification-read-all")).json() == {"marked": 1}
