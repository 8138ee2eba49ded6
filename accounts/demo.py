"""Demo data for the quick start: one user per role, and a demo catalogue."""

from django.db import transaction

from .models import User
from .roles import Role, roles_sync
from .services import user_create

DEMO_USERS = [
    # username, password, role, first name
    ("admin", "demo-admin-pass", Role.ADMIN, "Ayu"),
    ("manager", "demo-manager-pass", Role.MANAGER, "Budi"),
    ("staff", "demo-staff-pass", Role.STAFF, "Citra"),
]


@transaction.atomic
def demo_load() -> bool:
    """Load the demo data into an empty database; return False (and do nothing) otherwise."""
    if User.objects.exists():
        return False
    roles_sync()
    system = User(username="system")  # unsaved: only names the actor in the audit log
    users = {}
    for username, password, role, first_name in DEMO_USERS:
        users[username] = user_create(
            actor=system,
            username=username,
            password=password,
            role=role,
            first_name=first_name,
            email=f"{username}@example.com",
        )
    # The catalogue, locations and history are demo data of their apps; loaded here so one
    # command does it. The demo emails nobody: its low-stock alerts stay in the inbox.
    from accounts.notifications import without_email
    from orders.demo import history_load, today_load
    from products.demo import catalogue_load
    from stock.demo import locations_load

    catalogue_load()
    warehouse, shops = locations_load(staff=users["staff"])
    manager, staff = users["manager"], users["staff"]
    with without_email():
        history_load(actor=manager, staff=staff, warehouse=warehouse, shops=shops)
        today_load(actor=manager, staff=staff, warehouse=warehouse, shops=shops)
    return True
