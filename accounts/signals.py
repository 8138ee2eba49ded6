"""Receivers wired in AccountsConfig.ready()."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

from .roles import roles_sync


def sync_roles_after_migrate(sender, using="default", verbosity=1, **kwargs):
    """Bring the role groups up to date at the end of every migrate and test flush.

    post_migrate reaches the apps one by one in INSTALLED_APPS order, so the permissions of
    apps listed after `accounts` may not exist yet: create them all first (idempotent).
    """
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=global_apps)
    roles_sync()
