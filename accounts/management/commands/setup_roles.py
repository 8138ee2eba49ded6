from django.core.management.base import BaseCommand

from accounts.roles import roles_sync


class Command(BaseCommand):
    help = "Create the Admin, Manager and Staff groups and set their permissions (idempotent)."

    def handle(self, *args, **options):
        for role, changed in roles_sync().items():
            state = "updated" if changed else "unchanged"
            self.stdout.write(f"{role.value}: {state}")
