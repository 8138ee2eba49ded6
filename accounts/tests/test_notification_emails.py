import threading

import pytest
from django.core import mail
from django.db import connection, transaction

from accounts.models import Notification, User
from accounts.tasks import email_notifications


@pytest.mark.django_db(transaction=True)
def test_a_locked_recipient_does_not_make_the_email_task_skip_a_notification(make_user):
    # Two tasks emailing two notifications of one user run at once on a worker: the second
    # must not skip its notification because the first holds a lock on the shared user row.
    user = make_user(email="boss@example.com")
    notification = Notification.objects.create(recipient=user, kind="low_stock", text="Low")
    locked, release = threading.Event(), threading.Event()

    def hold_user_lock():
        with transaction.atomic():
            User.objects.select_for_update().get(pk=user.pk)
            locked.set()
            release.wait(10)
        connection.close()

    holder = threading.Thread(target=hold_user_lock)
    holder.start()
    try:
        assert locked.wait(10)
        assert email_notifications([notification.pk]) == 1
    finally:
        release.set()
        holder.join()
    assert [m.to for m in mail.outbox] == [["boss@example.com"]]
