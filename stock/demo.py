"""Demo stock: three locations, opening stock, and some transfers, sales and adjustments, all
booked through stock.services like real work."""

import random
from decimal import Decimal

from django.db import transaction

from accounts.models import User
from products.models import Product

from . import services
from .models import Location


@transaction.atomic
def stock_load(*, actor: User, staff: User | None = None, seed: int = 2026) -> int:
    """Create the demo locations and movements; return how many movements were booked."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    warehouse = Location.objects.create(
        name="Gudang Utama", kind=Location.Kind.WAREHOUSE, address="Jl. Industri 5, Bekasi"
    )
    central = Location.objects.create(name="Toko Pusat", address="Jl. Sudirman 10, Jakarta")
    branch = Location.objects.create(name="Toko Cabang", address="Jl. Margonda 88, Depok")
    if staff is not None:
        branch.users.add(staff)  # the demo staff member works at the branch
    count = 0
    products = list(Product.objects.filter(is_active=True).order_by("pk"))
    for product in products:
        services.stock_receive(
            actor=actor,
            product=product,
            location=warehouse,
            quantity=rng.choice([24, 48, 96]),
            unit_cost=product.cost_price,
        )
        count += 1
    for store in (central, branch):
        lines = [
            services.TransferLine(p, Decimal(rng.choice([6, 12])))
            for p in rng.sample(products, 120)
        ]
        services.stock_transfer(
            actor=actor, from_location=warehouse, to_location=store, lines=lines
        )
        count += len(lines)
        for line in rng.sample(lines, 60):
            services.stock_issue(
                actor=actor,
                product=line.product,
                location=store,
                quantity=rng.randint(1, int(line.quantity)),
            )
            count += 1
    for product in rng.sample(products, 5):
        services.stock_adjust(
            actor=actor,
            product=product,
            location=warehouse,
            change=-1,
            reason="damaged",
            note="Kemasan rusak",
        )
        count += 1
    return count
