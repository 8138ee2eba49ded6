from django.core.management.base import BaseCommand

from inventory_site.scheduling.schedules import active_schedules, schedules_sync


class Command(BaseCommand):
    help = (
        "Create the periodic tasks of the site (Celery beat) that are missing; entries that "
        "exist are left as an admin set them. Idempotent; also runs after every migrate."
    )

    def handle(self, *args, **options):
        created = schedules_sync()
        for name in created:
            self.stdout.write(f"created {name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(active_schedules())} schedule(s), {len(created)} created now."
            )
        )
