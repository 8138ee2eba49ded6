"""The three roles, their permissions, and how a user's role is read.

A role is a Django group. `roles_sync()` makes each group hold exactly the permissions listed
here: it is idempotent and repairs a group whose permissions were edited away. Later apps add
their permissions to ROLE_PERMISSIONS as they add models and capabilities.
"""

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # Ordered from most to least powerful: a user in two groups has the higher role.
    ADMIN = "Admin", _("Admin")
    MANAGER = "Manager", _("Manager")
    STAFF = "Staff", _("Staff")


ALL_PERMISSIONS = "__all__"

# "app_label.codename" for each role; the Admin role holds every permission there is.
CATALOGUE = ("products.product", "products.category", "products.tag")
CATALOGUE += ("suppliers.supplier", "suppliers.supplierproduct")


def _perms(actions: tuple[str, ...], models: tuple[str, ...]) -> frozenset[str]:
    """Return "app.action_model" for every action and "app.model" given."""
    return frozenset(
        f"{model.split('.')[0]}.{action}_{model.split('.')[1]}"
        for action in actions
        for model in models
    )


STOCK = ("stock.location", "stock.stocklevel", "stock.stockmovement")
ORDERS = ("orders.customer", "orders.purchaseorder", "orders.salesorder")
STAFF_ORDER_ACTIONS = {"orders.receive_purchaseorder", "orders.counter_sale"}
MANAGER_ORDER_ACTIONS = STAFF_ORDER_ACTIONS | {
    "orders.order_purchaseorder",
    "orders.confirm_salesorder",
    "orders.return_salesorder",
}
STAFF_STOCK_ACTIONS = {"stock.receive_stock", "stock.transfer_stock", "stock.count_stock"}
MANAGER_STOCK_ACTIONS = STAFF_STOCK_ACTIONS | {"stock.adjust_stock", "stock.work_any_location"}

# Staff look everything up and move stock at their locations; managers also edit (never
# delete what has history), adjust, work anywhere, set reorder points per location, watch low
# stock and see costs; admins hold every permission.
ROLE_PERMISSIONS: dict[Role, str | frozenset[str]] = {
    Role.ADMIN: ALL_PERMISSIONS,
    Role.MANAGER: _perms(("view", "add", "change"), CATALOGUE)
    | _perms(("view",), STOCK)
    | _perms(("add", "change"), ("stock.location",))
    | _perms(("view", "add", "change", "delete"), ("stock.locationminimum",))
    | {"stock.view_low_stock"}
    | MANAGER_STOCK_ACTIONS
    | _perms(("view", "add", "change"), ORDERS)
    | MANAGER_ORDER_ACTIONS
    | {"products.view_cost_price"}
    | {"reports.view_reports", "reports.import_sales_history", "reports.run_forecasts"},
    # Staff see orders of their own locations (the order pages and API narrow it), sell at the
    # counter and receive deliveries.
    Role.STAFF: _perms(("view",), CATALOGUE + STOCK + ORDERS)
    | STAFF_STOCK_ACTIONS
    | STAFF_ORDER_ACTIONS,
}


def user_role(user) -> Role | None:
    """Return the role of `user`: superusers are admins; otherwise the highest role group."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    names = {group.name for group in user.groups.all()}
    for role in Role:
        if role.value in names:
            return role
    return None


def _permissions_for(spec: str | frozenset[str]) -> list[Permission]:
    if spec == ALL_PERMISSIONS:
        return list(Permission.objects.all())
    wanted = {tuple(name.split(".", 1)) for name in spec}
    found = list(
        Permission.objects.filter(
            content_type__app_label__in={app for app, _ in wanted},
            codename__in={codename for _, codename in wanted},
        ).select_related("content_type")
    )
    found = [p for p in found if (p.content_type.app_label, p.codename) in wanted]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        names = ", ".join(sorted(".".join(m) for m in missing))
        raise LookupError(f"Role permissions name unknown permissions: {names}")
    return found


@transaction.atomic
def roles_sync(roles: Iterable[Role] = Role) -> dict[Role, bool]:
    """Create the role groups and set each one's permissions to exactly ROLE_PERMISSIONS.

    Return, per role, whether anything had to change.
    """
    changed = {}
    for role in roles:
        group, created = Group.objects.get_or_create(name=role.value)
        wanted = {p.pk for p in _permissions_for(ROLE_PERMISSIONS[role])}
        current = set(group.permissions.values_list("pk", flat=True))
        if wanted != current:
            group.permissions.set(wanted)
        changed[role] = created or wanted != current
    return changed
