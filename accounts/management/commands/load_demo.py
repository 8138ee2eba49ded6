from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings

from accounts.demo import DEMO_USERS, demo_load
from accounts.models import User


class Command(BaseCommand):
    help = "Load demo data when the database has no users yet, then print the demo sign-ins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Allow loading demo users (with known passwords) while DEBUG is off.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "Refusing to create demo users with known passwords while DEBUG is off "
                "(pass --allow-production to insist)."
            )
        if not User.objects.exists():
            self.stdout.write("Loading demo data: a catalogue and two years of sales history…")
        # The demo's own orders need no PDFs drawn behind the command's back.
        with override_settings(DOCUMENTS_PREPARE=False):
            loaded = demo_load()
        if loaded:
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        else:
            self.stdout.write("The database already has users: demo data not loaded.")
        demo = [u for u in DEMO_USERS if User.objects.filter(username=u[0]).exists()]
        if demo:
            self.stdout.write("\nDemo sign-ins:")
            for username, password, role, _ in demo:
                self.stdout.write(f"  {role.label:<8} {username:<8} / {password}")
