"""Who may use which route: one declared expectation per route and visitor.

Every URL pattern of the project (pages, API, admin) must have a rule here; the matrix test
fails for a route without one, for a rule whose route is gone, and for any response that differs
from what the rule says. When you add a route, add its rule in the same commit.

An expectation is an HTTP status, or LOGIN / ADMIN_LOGIN for "redirected to that sign-in page".
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from accounts.models import Notification, User
from accounts.tests.factories import UserFactory
from integrations.models import Webhook, WebhookDelivery
from integrations.tests.factories import WebhookDeliveryFactory, WebhookFactory
from inventory_site.scheduling.models import ScheduledSend
from orders.models import CompanyProfile, Customer, PurchaseOrder, SalesOrder, SalesReturn
from orders.tests.factories import CustomerFactory
from products.models import Category, Product, Tag
from products.tests.factories import CategoryFactory, ProductFactory, TagFactory
from stock.models import Location, LocationMinimum, LowStockAlert, StockLevel, StockMovement
from stock.tests.factories import LocationFactory
from suppliers.models import Supplier, SupplierProduct
from suppliers.tests.factories import SupplierFactory, SupplierProductFactory

ANONYMOUS, STAFF, MANAGER, ADMIN = "anonymous", "staff", "manager", "admin"
VISITORS = (ANONYMOUS, STAFF, MANAGER, ADMIN)
SIGNED_IN = (STAFF, MANAGER, ADMIN)
LOGIN = "redirect to sign-in"
ADMIN_LOGIN = "redirect to admin sign-in"

Expect = int | str


@dataclass(frozen=True)
class Rule:
    expect: Mapping[str, Expect]
    method: str = "GET"
    # Builds the URL to request (may create the objects it points at); default: reverse(name).
    url: Callable[[], str] | None = None
    data: Mapping[str, str] = field(default_factory=dict)


def page(*allowed: str, **rule) -> Rule:
    """A page: anonymous visitors are sent to sign in, `allowed` get 200, others 403."""
    expect = {ANONYMOUS: LOGIN} | {v: 200 if v in allowed else 403 for v in SIGNED_IN}
    return Rule(expect, **rule)


def api(*allowed: str, **rule) -> Rule:
    """An API endpoint: anonymous clients get 401, `allowed` get 200, others 403."""
    expect = {ANONYMOUS: 401} | {v: 200 if v in allowed else 403 for v in SIGNED_IN}
    return Rule(expect, **rule)


def everyone(status: Expect, **rule) -> Rule:
    return Rule(dict.fromkeys(VISITORS, status), **rule)


def _user_url(name: str) -> Callable[[], str]:
    return lambda: reverse(name, kwargs={"pk": UserFactory().pk})


def _url(name: str, factory: Callable) -> Callable[[], str]:
    """The URL of `name` for a fresh object made by `factory`."""
    return lambda: reverse(name, kwargs={"pk": factory().pk})


def _catalogue_url(name: str) -> str:
    item = SupplierProductFactory()
    return reverse(f"suppliers:{name}", args=[item.supplier_id, item.pk])


EDITORS = (MANAGER, ADMIN)  # managers and admins change the catalogue; only admins delete


def _api_post(name: str, make: Callable, status: int) -> Rule:
    """A POST action of the orders API that managers and admins may use and staff may not."""
    return Rule(
        {ANONYMOUS: 401, STAFF: 403, MANAGER: status, ADMIN: status},
        method="POST",
        url=lambda: reverse(name, args=[make().pk]),
    )


# --- Project routes -------------------------------------------------------------------------
RULES: dict[str, Rule] = {
    "home": page(*SIGNED_IN),
    # Public sign-in and password reset pages; a signed-in user is sent on from sign-in.
    "accounts:login": Rule({ANONYMOUS: 200, STAFF: 302, MANAGER: 302, ADMIN: 302}),
    # POST only, so that a link cannot sign anybody out.
    "accounts:logout": Rule({ANONYMOUS: LOGIN, STAFF: 405, MANAGER: 405, ADMIN: 405}),
    "accounts:password_reset": everyone(200),
    "accounts:password_reset_done": everyone(200),
    "accounts:password_reset_confirm": everyone(
        200, url=lambda: reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"])
    ),
    "accounts:password_reset_complete": everyone(200),
    "accounts:password_change": page(*SIGNED_IN),
    "accounts:password_change_done": page(*SIGNED_IN),
    # User management: admins only.
    "accounts:user_list": page(ADMIN),
    "accounts:user_create": page(ADMIN),
    "accounts:user_update": page(ADMIN, url=_user_url("accounts:user_update")),
    "accounts:user_unlock": Rule(
        {ANONYMOUS: LOGIN, STAFF: 403, MANAGER: 403, ADMIN: 302},
        method="POST",
        url=_user_url("accounts:user_unlock"),
    ),
    # Catalogue: everyone signed in looks up; managers and admins edit; admins delete.
    "products:product_list": page(*SIGNED_IN),
    "products:product_export": page(
        *SIGNED_IN, url=lambda: reverse("products:product_export", args=["csv"])
    ),
    "products:product_detail": page(
        *SIGNED_IN, url=_url("products:product_detail", ProductFactory)
    ),
    "products:product_create": page(*EDITORS),
    "products:product_import": page(*EDITORS),
    "products:product_update": page(*EDITORS, url=_url("products:product_update", ProductFactory)),
    "products:product_activate": Rule(
        {ANONYMOUS: LOGIN, STAFF: 403, MANAGER: 302, ADMIN: 302},
        method="POST",
        url=_url("products:product_activate", ProductFactory),
    ),
    "products:product_delete": page(ADMIN, url=_url("products:product_delete", ProductFactory)),
    "products:category_list": page(*SIGNED_IN),
    # Options of the list filters' autocomplete: whoever sees the list (JSON, no cost prices).
    "products:category_autocomplete": page(*SIGNED_IN),
    "products:supplier_autocomplete": page(*SIGNED_IN),
    "products:category_create": page(*EDITORS),
    "products:category_update": page(
        *EDITORS, url=_url("products:category_update", CategoryFactory)
    ),
    "products:category_delete": page(ADMIN, url=_url("products:category_delete", CategoryFactory)),
    "suppliers:supplier_list": page(*SIGNED_IN),
    "suppliers:supplier_export": page(
        *SIGNED_IN, url=lambda: reverse("suppliers:supplier_export", args=["xlsx"])
    ),
    "suppliers:supplier_detail": page(
        *SIGNED_IN, url=_url("suppliers:supplier_detail", SupplierFactory)
    ),
    "suppliers:supplier_create": page(*EDITORS),
    "suppliers:catalogue_import": page(*EDITORS),
    "suppliers:supplier_update": page(
        *EDITORS, url=_url("suppliers:supplier_update", SupplierFactory)
    ),
    "suppliers:supplier_delete": page(
        ADMIN, url=_url("suppliers:supplier_delete", SupplierFactory)
    ),
    "suppliers:catalogue_add": page(*EDITORS, url=_url("suppliers:catalogue_add", SupplierFactory)),
    "suppliers:catalogue_update": page(*EDITORS, url=lambda: _catalogue_url("catalogue_update")),
    "suppliers:catalogue_remove": Rule(
        {ANONYMOUS: LOGIN, STAFF: 403, MANAGER: 403, ADMIN: 302},
        method="POST",
        url=lambda: _catalogue_url("catalogue_remove"),
    ),
    # Stock: everyone signed in looks up and receives, transfers; managers and admins adjust.
    "stock:overview": page(*SIGNED_IN),
    "stock:movement_list": page(*SIGNED_IN),
    "stock:movement_export": page(*SIGNED_IN),
    "stock:user_autocomplete": page(*SIGNED_IN),
    "stock:receive": page(*SIGNED_IN),
    "stock:transfer": page(*SIGNED_IN),
    "stock:adjust": page(*EDITORS),
    "stock:count": page(*SIGNED_IN),
    "stock:location_list": page(*SIGNED_IN),
    "stock:location_create": page(*EDITORS),
    "stock:location_update": page(*EDITORS, url=_url("stock:location_update", LocationFactory)),
    # Customers: everyone signed in looks up (counter staff too); managers and admins edit.
    "orders:customer_list": page(*SIGNED_IN),
    "orders:customer_autocomplete": page(*SIGNED_IN),
    "orders:customer_detail": page(*SIGNED_IN, url=_url("orders:customer_detail", CustomerFactory)),
    "orders:customer_create": page(*EDITORS),
    "orders:customer_update": page(*EDITORS, url=_url("orders:customer_update", CustomerFactory)),
    # Purchase orders: everyone signed in reads (staff those of their locations) and receives;
    # managers and admins draft, place, cancel and close.
    "orders:purchase_order_list": page(*SIGNED_IN),
    "orders:purchase_order_create": page(*EDITORS),
    "orders:purchase_order_detail": page(
        *SIGNED_IN, url=_url("orders:purchase_order_detail", lambda: _purchase_order())
    ),
    "orders:purchase_order_update": page(
        *EDITORS, url=_url("orders:purchase_order_update", lambda: _purchase_order())
    ),
    # A draft cannot be received: who may receive is sent back to the order.
    "orders:purchase_order_receive": Rule(
        {ANONYMOUS: LOGIN, STAFF: 302, MANAGER: 302, ADMIN: 302},
        url=_url("orders:purchase_order_receive", lambda: _purchase_order()),
    ),
    "orders:purchase_order_delete": Rule(
        {ANONYMOUS: LOGIN, STAFF: 403, MANAGER: 302, ADMIN: 302},
        method="POST",
        url=_url("orders:purchase_order_delete", lambda: _purchase_order()),
    ),
    "orders:purchase_order_action": Rule(
        {ANONYMOUS: LOGIN, STAFF: 403, MANAGER: 302, ADMIN: 302},
        method="POST",
        url=lambda: reverse("orders:purchase_order_action", args=[_purchase_order().pk, "place"]),
    ),
    # Sales orders: everyone signed in reads (staff those of their locations); managers and
    # admins draft, confirm, hand over, complete, cancel and take returns.
    "orders:sales_order_list": page(*SIGNED_IN),
    "orders:sales_order_create": page(*EDITORS),
    "orders:daily_summary": page(*SIGNED_IN),
    "orders:sales_order_detail": page(
        *SIGNED_IN, url=_url("orders:sales_order_detail", lambda: _sales_order())
    ),
    "orders:sales_order_update": page(
        *EDITORS, url=_url("orders:sales_order_update", lambda: _sales_order())
    ),
    # A draft has nothing to hand over or take back: who may is sent back to the order.
    "orders:sales_order_fulfil": Rule(
        {ANONYMOUS: LOGIN, STAFF: 403, MANAGER: 302, ADMIN: 302},
        url=_url("orders:sales_order_fulfil", lambda: _sales_order()),
    ),
    "orders:sales_order_return": Rule(
        {ANONYMOUS: LOGIN, STAFF: 403, MANAGER: 302, ADMIN: 302},
        url=_url("orders:sales_order_return", lambda: _sales_order()),
    ),
    "orders:sales_order_delete": Rule(
        {ANONYMOUS: LOGIN, STAFF: 403, MANAGER: 302, ADMIN: 302},
        method="POST",
        url=_url("orders:sales_order_delete", lambda: _sales_order()),
    ),
    "orders:sales_order_action": Rule(
        {ANONYMOUS: LOGIN, STAFF: 403, MANAGER: 302, ADMIN: 302},
        method="POST",
        url=lambda: reverse("orders:sales_order_action", args=[_sales_order().pk, "cancel"]),
    ),
    # The counter: every role sells (staff at their locations) and prints receipts.
    "orders:counter": page(*SIGNED_IN),
    "orders:sales_receipt": page(
        *SIGNED_IN, url=_url("orders:sales_receipt", lambda: _sales_order())
    ),
    # Documents: who may see the order gets its invoice and receipt; a purchase order shows
    # costs, so staff get no PDF of it.
    "orders:invoice_pdf": page(*SIGNED_IN, url=_url("orders:invoice_pdf", lambda: _sales_order())),
    "orders:receipt_pdf": page(*SIGNED_IN, url=_url("orders:receipt_pdf", lambda: _sales_order())),
    "orders:purchase_order_pdf": page(
        *EDITORS, url=_url("orders:purchase_order_pdf", lambda: _purchase_order())
    ),
    # What is low, and reorder points per location: managers and admins.
    "stock:low_stock": page(*EDITORS),
    "stock:location_minimums": page(*EDITORS, url=_url("stock:location_minimums", ProductFactory)),
    # Every signed-in user has an inbox of their own; another's notification is not found.
    "accounts:inbox": page(*SIGNED_IN),
    "accounts:notification_read_all": Rule(
        {ANONYMOUS: LOGIN, STAFF: 302, MANAGER: 302, ADMIN: 302}, method="POST"
    ),
    "accounts:notification_open": Rule(
        {ANONYMOUS: LOGIN, STAFF: 404, MANAGER: 404, ADMIN: 404},
        method="POST",
        url=_url("accounts:notification_open", lambda: _notification()),
    ),
    # Sales history import: managers and admins (reports.import_sales_history); the import
    # itself starts on POST only.
    "reports:import": page(*EDITORS),
    "reports:import_mapping": page(*EDITORS, url=lambda: _import_url("reports:import_mapping")),
    "reports:import_preview": page(*EDITORS, url=lambda: _import_url("reports:import_preview")),
    "reports:import_detail": page(*EDITORS, url=lambda: _import_url("reports:import_detail")),
    "reports:import_progress": page(*EDITORS, url=lambda: _import_url("reports:import_progress")),
    "reports:import_apply": Rule(
        {ANONYMOUS: LOGIN, STAFF: 403, MANAGER: 405, ADMIN: 405},
        url=lambda: _import_url("reports:import_apply"),
    ),
    "set_language": everyone(302),  # sets the language cookie and goes back
    # Probes of load balancers: public, no secrets (no broker configured in tests).
    "healthz": everyone(200),
    "readyz": everyone(200),
    # API. Token endpoints are the API's sign-in: open to all, POST only.
    "api:token_obtain": everyone(405),
    "api:token_refresh": everyone(405),
    "api:me": api(*SIGNED_IN),
    "api:schema": api(*SIGNED_IN),
    "api:docs": page(*SIGNED_IN),
    # Catalogue API: reads for everyone signed in (cost fields only for managers and admins).
    "api:product-list": api(*SIGNED_IN),
    "api:product-detail": api(*SIGNED_IN, url=_url("api:product-detail", ProductFactory)),
    "api:category-list": api(*SIGNED_IN),
    "api:category-detail": api(*SIGNED_IN, url=_url("api:category-detail", CategoryFactory)),
    "api:tag-list": api(*SIGNED_IN),
    "api:tag-detail": api(*SIGNED_IN, url=_url("api:tag-detail", TagFactory)),
    "api:supplier-list": api(*SIGNED_IN),
    "api:supplier-detail": api(*SIGNED_IN, url=_url("api:supplier-detail", SupplierFactory)),
    "api:location-list": api(*SIGNED_IN),
    "api:location-detail": api(*SIGNED_IN, url=_url("api:location-detail", LocationFactory)),
    "api:stock-level-list": api(*SIGNED_IN),
    "api:stock-level-detail": api(*SIGNED_IN, url=lambda: _api_url("api:stock-level-detail")),
    "api:stock-movement-list": api(*SIGNED_IN),
    "api:stock-movement-detail": api(
        *SIGNED_IN, url=lambda: reverse("api:stock-movement-detail", args=[_stock_movement().pk])
    ),
    # Stock actions are POST only: who may act gets 405 on GET, who may not 403.
    "api:stock-receive": Rule({ANONYMOUS: 401, STAFF: 405, MANAGER: 405, ADMIN: 405}),
    "api:stock-transfer": Rule({ANONYMOUS: 401, STAFF: 405, MANAGER: 405, ADMIN: 405}),
    "api:stock-count": Rule({ANONYMOUS: 401, STAFF: 405, MANAGER: 405, ADMIN: 405}),
    "api:stock-adjust": Rule({ANONYMOUS: 401, STAFF: 403, MANAGER: 405, ADMIN: 405}),
    "api:stock-low": api(*EDITORS),
    "api:location-minimum-list": api(*EDITORS),
    "api:location-minimum-detail": api(
        *EDITORS, url=_url("api:location-minimum-detail", lambda: _location_minimum())
    ),
    "api:customer-list": api(*SIGNED_IN),
    "api:customer-detail": api(*SIGNED_IN, url=_url("api:customer-detail", CustomerFactory)),
    # Orders API: the pages' rules. Actions are POSTs on a fresh draft, so a refusal by the
    # order's status (400), a shortfall (409) or success (200) shows who got past permissions.
    "api:purchase-order-list": api(*SIGNED_IN),
    "api:purchase-order-detail": api(
        *SIGNED_IN, url=_url("api:purchase-order-detail", lambda: _purchase_order())
    ),
    "api:purchase-order-pdf": api(
        *EDITORS, url=_url("api:purchase-order-pdf", lambda: _purchase_order())
    ),
    "api:purchase-order-place": _api_post(
        "api:purchase-order-place", lambda: _purchase_order(), 200
    ),
    "api:purchase-order-cancel": _api_post(
        "api:purchase-order-cancel", lambda: _purchase_order(), 200
    ),
    "api:purchase-order-close": _api_post(
        "api:purchase-order-close", lambda: _purchase_order(), 400
    ),
    # Staff receive too (their locations): an empty body is a 400 for everyone allowed.
    "api:purchase-order-receive": Rule(
        {ANONYMOUS: 401, STAFF: 400, MANAGER: 400, ADMIN: 400},
        method="POST",
        url=_url("api:purchase-order-receive", lambda: _purchase_order()),
    ),
    "api:sales-order-list": api(*SIGNED_IN),
    "api:sales-order-detail": api(
        *SIGNED_IN, url=_url("api:sales-order-detail", lambda: _sales_order())
    ),
    "api:sales-order-invoice": api(
        *SIGNED_IN, url=_url("api:sales-order-invoice", lambda: _sales_order())
    ),
    "api:sales-order-receipt": api(
        *SIGNED_IN, url=_url("api:sales-order-receipt", lambda: _sales_order())
    ),
    # The draft's product has no stock: confirming is a 409 shortfall.
    "api:sales-order-confirm": _api_post("api:sales-order-confirm", lambda: _sales_order(), 409),
    "api:sales-order-fulfil": _api_post("api:sales-order-fulfil", lambda: _sales_order(), 400),
    "api:sales-order-complete": _api_post("api:sales-order-complete", lambda: _sales_order(), 400),
    "api:sales-order-cancel": _api_post("api:sales-order-cancel", lambda: _sales_order(), 200),
    "api:sales-order-return-goods": _api_post(
        "api:sales-order-return-goods", lambda: _sales_order(), 400
    ),
    # Every role sells at the counter; the endpoint takes POST only.
    "api:counter-sale": Rule({ANONYMOUS: 401, STAFF: 405, MANAGER: 405, ADMIN: 405}),
    "api:notification-list": api(*SIGNED_IN),
    "api:notification-detail": Rule(
        {ANONYMOUS: 401, STAFF: 404, MANAGER: 404, ADMIN: 404},
        url=_url("api:notification-detail", lambda: _notification()),
    ),
    "api:notification-read": Rule(
        {ANONYMOUS: 401, STAFF: 404, MANAGER: 404, ADMIN: 404},
        method="POST",
        url=_url("api:notification-read", lambda: _notification()),
    ),
    "api:notification-read-all": Rule(
        {ANONYMOUS: 401, STAFF: 200, MANAGER: 200, ADMIN: 200}, method="POST"
    ),
    "api:supplier-product-list": api(*SIGNED_IN),
    "api:supplier-product-detail": api(
        *SIGNED_IN, url=_url("api:supplier-product-detail", SupplierProductFactory)
    ),
}


# --- Reports: managers and admins only; staff get 403 on every report -----------------------
def _report_rules() -> dict[str, Rule]:
    from reports.registry import reports

    return {f"api:report-{slug}": api(*EDITORS) for slug in reports()}


RULES |= {
    "reports:index": page(*EDITORS),
    # One route for every report; tests/test_reports_access.py walks each report's page.
    "reports:report": page(*EDITORS, url=lambda: reverse("reports:report", args=["sales"])),
    **_report_rules(),
}

# --- Forecasts and replenishment: managers and admins; a run starts on POST only -------------
RULES |= {
    "reports:replenishment": page(*EDITORS),
    "reports:forecast_run": Rule({ANONYMOUS: LOGIN, STAFF: 403, MANAGER: 405, ADMIN: 405}),
    "reports:forecast_run_progress": page(
        *EDITORS, url=_url("reports:forecast_run_progress", lambda: _forecast_run())
    ),
    "api:forecast-list": api(*EDITORS),
    "api:forecast-detail": api(
        *EDITORS,
        url=lambda: reverse("api:forecast-detail", args=[_product_forecast().product_id]),
    ),
    "api:forecast-run-list": api(*EDITORS),
    "api:forecast-run-detail": api(
        *EDITORS, url=_url("api:forecast-run-detail", lambda: _forecast_run())
    ),
    "api:reorder-suggestion-list": api(*EDITORS),
    # POST only: who may create orders gets 405 on GET, who may not 403.
    "api:reorder-suggestion-purchase-orders": Rule(
        {ANONYMOUS: 401, STAFF: 403, MANAGER: 405, ADMIN: 405}
    ),
}

# --- Django admin: only the Admin role (is_staff) gets in -----------------------------------
# Site-level admin views send strangers to the admin's sign-in; model pages are not exempt from
# LoginRequiredMiddleware, so anonymous visitors meet the site's sign-in page there first.
ADMIN_ONLY = {ANONYMOUS: ADMIN_LOGIN, STAFF: ADMIN_LOGIN, MANAGER: ADMIN_LOGIN, ADMIN: 200}


def _admin(status: Expect = 200, anonymous: Expect = ADMIN_LOGIN, **rule) -> Rule:
    return Rule(ADMIN_ONLY | {ANONYMOUS: anonymous, ADMIN: status}, **rule)


def _admin_model(status: Expect = 200, **rule) -> Rule:
    return _admin(status, anonymous=LOGIN, **rule)


RULES |= {
    "admin:index": _admin(),
    "admin:login": Rule(
        {ANONYMOUS: 200, STAFF: 200, MANAGER: 200, ADMIN: 302}
    ),  # non-admins see the form with "not authorised" and may sign in as someone else
    # POST only; a non-admin is sent to the admin index (and from there to its sign-in).
    "admin:logout": Rule({ANONYMOUS: ADMIN_LOGIN, STAFF: 302, MANAGER: 302, ADMIN: 405}),
    "admin:password_change": _admin(),
    "admin:password_change_done": _admin(),
    "admin:jsi18n": _admin(),
    "admin:autocomplete": _admin(403),  # without a valid field to complete
    "admin:view_on_site": _admin(404, url=lambda: reverse("admin:view_on_site", args=[999999, 1])),
    "admin:app_list": _admin(url=lambda: reverse("admin:app_list", args=["accounts"])),
    "admin/(?P<url>.*)$": _admin(404, url=lambda: "/admin/no-such-page/"),
    "admin:auth_user_password_change": _admin_model(
        url=lambda: reverse("admin:auth_user_password_change", args=[UserFactory().pk])
    ),
}


@dataclass(frozen=True)
class AdminModel:
    """How to make an object of an admin-registered model, and what its add page returns."""

    make: Callable[[], object]
    add: Expect = 200
    delete: Expect = 200


def _access_fields(**extra) -> dict:
    base = {"username": "someone", "ip_address": "192.0.2.1", "user_agent": "test-agent"}
    return base | {"http_accept": "*/*", "path_info": "/accounts/login/"} | extra


# Every model registered in Django admin needs an entry (the test says which one is missing).
ADMIN_MODELS: dict[type, AdminModel] = {
    User: AdminModel(make=UserFactory),
    Group: AdminModel(make=lambda: Group.objects.get(name="Staff")),
    AccessAttempt: AdminModel(
        make=lambda: AccessAttempt.objects.create(
            **_access_fields(get_data="", post_data="", failures_since_start=1)
        ),
        add=403,  # attempts are recorded by django-axes, never entered by hand
    ),
    AccessLog: AdminModel(make=lambda: AccessLog.objects.create(**_access_fields()), add=403),
    AccessFailureLog: AdminModel(
        make=lambda: AccessFailureLog.objects.create(**_access_fields()), add=403
    ),
    Category: AdminModel(make=CategoryFactory),
    Tag: AdminModel(make=TagFactory),
    Product: AdminModel(make=ProductFactory),
    Supplier: AdminModel(make=SupplierFactory),
    SupplierProduct: AdminModel(make=SupplierProductFactory),
    Location: AdminModel(make=LocationFactory),
    # Stock moves only through stock.services: admin shows levels and the ledger read-only.
    StockLevel: AdminModel(make=lambda: _stock_level(), add=403, delete=403),
    StockMovement: AdminModel(make=lambda: _stock_movement(), add=403, delete=403),
    LocationMinimum: AdminModel(make=lambda: _location_minimum()),
    # Kept by stock.alerts as stock moves: read-only.
    LowStockAlert: AdminModel(
        make=lambda: LowStockAlert.objects.create(
            product=ProductFactory(), available=1, reorder_point=5
        ),
        add=403,
        delete=403,
    ),
    Notification: AdminModel(make=lambda: _notification()),
    Customer: AdminModel(make=CustomerFactory),
    # One company profile: made on first use, never added twice, never deleted.
    CompanyProfile: AdminModel(make=CompanyProfile.current, add=403, delete=403),
    # Orders change only through orders.services: admin shows them read-only.
    PurchaseOrder: AdminModel(make=lambda: _purchase_order(), add=403, delete=403),
    SalesOrder: AdminModel(make=lambda: _sales_order(), add=403, delete=403),
    SalesReturn: AdminModel(make=lambda: _sales_return(), add=403, delete=403),
    # Webhooks are registered here; their deliveries are written by the delivery tasks.
    Webhook: AdminModel(make=WebhookFactory),
    WebhookDelivery: AdminModel(make=WebhookDeliveryFactory, add=403),
}


# Celery beat's schedules (django-celery-beat): admins edit times and switch tasks on and off.
_counter = iter(range(1, 1_000_000))


def _interval() -> IntervalSchedule:
    return IntervalSchedule.objects.create(every=next(_counter), period=IntervalSchedule.SECONDS)


ADMIN_MODELS |= {
    PeriodicTask: AdminModel(
        make=lambda: PeriodicTask.objects.create(
            name=f"probe-{next(_counter)}", task="celery.backend_cleanup", interval=_interval()
        )
    ),
    IntervalSchedule: AdminModel(make=_interval),
    CrontabSchedule: AdminModel(
        make=lambda: CrontabSchedule.objects.create(minute=str(next(_counter) % 60), hour="4")
    ),
    SolarSchedule: AdminModel(
        make=lambda: SolarSchedule.objects.create(
            event="sunrise", latitude=next(_counter) % 90, longitude=106.8
        )
    ),
    ClockedSchedule: AdminModel(
        make=lambda: ClockedSchedule.objects.create(clocked_time=timezone.now())
    ),
    # What scheduled tasks sent: written by the tasks, read-only.
    ScheduledSend: AdminModel(
        make=lambda: ScheduledSend.objects.create(
            kind=ScheduledSend.Kind.SALES_SUMMARY,
            period=timezone.localdate(),
            recipient=UserFactory(),
        ),
        add=403,
        delete=403,
    ),
}


def _purchase_order() -> PurchaseOrder:
    from orders.services.purchasing import PurchaseLine, purchase_order_create

    return purchase_order_create(
        actor=UserFactory(role="Manager"), supplier=SupplierFactory(),
        location=LocationFactory(), lines=[PurchaseLine(ProductFactory(), 2)],
    )  # fmt: skip


def _sales_order() -> SalesOrder:
    from orders.services.sales import SaleLine, sales_order_create

    return sales_order_create(
        actor=UserFactory(role="Manager"), location=LocationFactory(),
        lines=[SaleLine(ProductFactory(), 1)],
    )  # fmt: skip


def _sales_return() -> SalesReturn:
    from orders.services.sales import sales_order_confirm, sales_order_fulfil, sales_order_return

    manager = UserFactory(role="Manager")
    order = _sales_order()
    line = order.lines.get()
    from stock.services import stock_receive

    stock_receive(
        actor=manager, product=line.product, location=order.location, quantity=1, unit_cost=1
    )
    order = sales_order_fulfil(actor=manager, order=sales_order_confirm(actor=manager, order=order))
    return sales_order_return(actor=manager, order=order, quantities={line.pk: 1}, reason="other")


def _notification() -> Notification:
    """Somebody else's notification (the visitor's own would be theirs to open)."""
    return Notification.objects.create(
        recipient=UserFactory(), kind=Notification.Kind.LOW_STOCK, text="Low stock: X", link="/"
    )


def _import_url(name: str) -> str:
    """The URL of `name` for a checked, not yet imported sales history batch."""
    from reports.models import ImportBatch

    batch = ImportBatch.objects.create(
        file_name="sales.csv",
        file_sha256="0" * 64,
        uploaded_by=UserFactory(role="Manager"),
        options={"headers": ["date", "code", "qty", "price"], "mapping": {"date": 0}},
    )
    return reverse(name, args=[batch.pk])


def _forecast_run():
    from reports.models import ForecastRun

    return ForecastRun.objects.create(status=ForecastRun.Status.DONE)


def _product_forecast():
    from django.utils import timezone

    from reports.models import ProductForecast

    today = timezone.localdate()
    return ProductForecast.objects.create(
        product=ProductFactory(), history_start=today, forecast_start=today, method="mean",
        accuracy="unknown", computed_at=timezone.now(),
    )  # fmt: skip


def _location_minimum() -> LocationMinimum:
    return LocationMinimum.objects.create(
        product=ProductFactory(), location=LocationFactory(), reorder_point=3
    )


def _stock_movement() -> StockMovement:
    from stock.services import stock_receive

    return stock_receive(
        actor=UserFactory(role="Admin"),
        product=ProductFactory(),
        location=LocationFactory(),
        quantity=5,
        unit_cost=1,
    )


def _api_url(name: str) -> str:
    return reverse(name, args=[_stock_level().pk])


def _stock_level() -> StockLevel:
    movement = _stock_movement()
    return StockLevel.objects.get(product=movement.product, location=movement.to_location)


def _admin_model_rules() -> dict[str, Rule]:
    rules = {}
    for model in admin.site._registry:
        if model not in ADMIN_MODELS:
            continue
        spec = ADMIN_MODELS[model]
        base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        prefix = f"admin/{model._meta.app_label}/{model._meta.model_name}/"

        def object_url(view: str, spec=spec, base=base) -> Callable[[], str]:
            return lambda: reverse(f"{base}_{view}", args=[spec.make().pk])

        rules |= {
            f"{base}_changelist": _admin_model(),
            f"{base}_add": _admin_model(spec.add),
            f"{base}_change": _admin_model(url=object_url("change")),
            f"{base}_history": _admin_model(url=object_url("history")),
            f"{base}_delete": _admin_model(spec.delete, url=object_url("delete")),
            # The bare object URL redirects to its change page.
            f"{prefix}<path:object_id>/": _admin_model(
                302, url=lambda spec=spec, prefix=prefix: f"/{prefix}{spec.make().pk}/"
            ),
        }
    return rules


def all_rules() -> dict[str, Rule]:
    return RULES | _admin_model_rules()


# --- Discovery ------------------------------------------------------------------------------
def route_keys(urlconf: str | None = None) -> list[str]:
    """Return a key per URL pattern: its namespaced name, or its full route if unnamed."""
    return sorted(_walk(get_resolver(urlconf).url_patterns))


def _walk(patterns, prefix: str = "", namespace: str | None = None) -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                yield prefix + str(pattern.pattern)


def routes_without_rules(urlconf: str | None = None) -> list[str]:
    rules = all_rules()
    return [key for key in route_keys(urlconf) if key not in rules]


def rules_without_routes(urlconf: str | None = None) -> list[str]:
    keys = set(route_keys(urlconf))
    return sorted(key for key in all_rules() if key not in keys)


def outcome(response) -> Expect:
    """Describe a response the way rules do: a status, or which sign-in page it redirects to."""
    if response.status_code == 302:
        location = response.headers.get("Location", "")
        if location.startswith(reverse("accounts:login")):
            return LOGIN
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
    return response.status_code


def check(client, key: str, visitor: str) -> tuple[Expect, Expect]:
    """Request the route `key` as the signed-in client; return (expected, actual)."""
    rule = all_rules()[key]
    url = rule.url() if rule.url else reverse(key)
    send = getattr(client, rule.method.lower())
    if rule.method != "GET" and url.startswith("/api/"):
        response = send(url, data=dict(rule.data), content_type="application/json")
    else:
        response = send(url, data=dict(rule.data))
    return rule.expect[visitor], outcome(response)
