from django.db import transaction

from accounts.models import User

from ..models import Customer


@transaction.atomic
def customer_save(*, actor: User, customer: Customer | None = None, **fields) -> Customer:
    """Create or update a customer."""
    customer = customer or Customer()
    for name, value in fields.items():
        setattr(customer, name, value)
    customer.full_clean()
    customer.save()
    return customer
