"""The main navigation: one list, each entry stating who may see it.

An entry shows when the user passes its `visible` test; pages enforce the same rule themselves,
so hiding a link is a courtesy, never the protection.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def any_user(user) -> bool:
    return user.is_authenticated


def has_perm(permission: str) -> Callable:
    def test(user) -> bool:
        return user.has_perm(permission)

    return test


def admin_site_user(user) -> bool:
    from accounts.roles import Role

    return user.is_active and user.is_staff and user.role == Role.ADMIN


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    icon: str
    visible: Callable = any_user
    in_user_menu: bool = False  # secondary entries live in the user's dropdown

    @property
    def url(self) -> str:
        return reverse(self.url_name)


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Dashboard"), "home", "speedometer2"),
    NavItem(_("Products"), "products:product_list", "box-seam", has_perm("products.view_product")),
    NavItem(_("Stock"), "stock:overview", "boxes", has_perm("stock.view_stocklevel")),
    NavItem(_("Counter"), "orders:counter", "upc-scan", has_perm("orders.counter_sale")),
    NavItem(_("Sales"), "orders:sales_order_list", "receipt", has_perm("orders.view_salesorder")),
    NavItem(
        _("Purchasing"),
        "orders:purchase_order_list",
        "cart-plus",
        has_perm("orders.view_purchaseorder"),
    ),
    NavItem(
        _("Customers"), "orders:customer_list", "person-vcard", has_perm("orders.view_customer")
    ),
    NavItem(_("Reports"), "reports:index", "graph-up", has_perm("reports.view_reports")),
    NavItem(
        _("Suppliers"), "suppliers:supplier_list", "truck", has_perm("suppliers.view_supplier")
    ),
    NavItem(_("Users"), "accounts:user_list", "people", has_perm("accounts.view_user")),
    NavItem(_("API"), "api:docs", "braces", in_user_menu=True),
    NavItem(_("Django admin"), "admin:index", "gear", admin_site_user, in_user_menu=True),
]


def nav_items_for(user) -> list[NavItem]:
    """Return the navigation entries `user` may see, in menu order."""
    return [item for item in NAV_ITEMS if item.visible(user)]
