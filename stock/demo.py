"""Demo locations: a warehouse and two shops (the demo staff member works at the branch), and
reorder points of their own at the main shop for its fast movers. Their history is booked by
orders.demo."""

from django.db import transaction

from accounts.models import User


@transaction.atomic
def locations_load(*, staff: User | None = None):
    """Create the demo locations; return (warehouse, [main shop, branch])."""
    from .models import Location

    warehouse = Location.objects.create(
        name="Gudang Utama", kind=Location.Kind.WAREHOUSE, address="Jl. Industri 5, Bekasi"
    )
    central = Location.objects.create(name="Toko Pusat", address="Jl. Sudirman 10, Jakarta")
    branch = Location.objects.create(name="Toko Cabang", address="Jl. Margonda 88, Depok")
    if staff is not None:
        branch.users.add(staff)
    return warehouse, [central, branch]
