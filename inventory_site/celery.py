"""Celery application.

With CELERY_BROKER_URL unset, tasks run eagerly in the calling process (quick start, tests);
with it set (RabbitMQ in production, Redis accepted), they run on workers:
`celery -A inventory_site worker -l info`.
"""

import os

from celery import Celery

# Like wsgi.py: a worker is a production process unless told otherwise.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inventory_site.settings.production")

app = Celery("inventory_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
