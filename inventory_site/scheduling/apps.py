from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    """Scheduled work (Celery beat): the schedules in code, synced into django-celery-beat's
    tables where admins edit them, and the tasks they run."""

    name = "inventory_site.scheduling"
    label = "scheduling"
    verbose_name = _("Scheduled work")

    def ready(self):
        post_migrate.connect(_sync_after_migrate, sender=self)


def _sync_after_migrate(sender, using, **kwargs):
    # Creates missing entries only: an admin's edits of an existing one are kept.
    from .schedules import schedules_sync

    schedules_sync(using=using)
