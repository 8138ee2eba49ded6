from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import security_log, signals

        # Every migrate (and every test-database flush) ends with the role groups holding
        # exactly the permissions of accounts.roles, including those of newly added models.
        post_migrate.connect(signals.sync_roles_after_migrate, sender=self)
        security_log.connect()
