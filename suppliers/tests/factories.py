from decimal import Decimal

import factory

from products.tests.factories import ProductFactory
from suppliers.models import Supplier, SupplierProduct


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    name = factory.Sequence(lambda n: f"Supplier {n}")
    contact_person = factory.Faker("name")
    email = factory.Sequence(lambda n: f"sales{n}@supplier.example")
    phone = "+62 21 555 0100"


class SupplierProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierProduct

    supplier = factory.SubFactory(SupplierFactory)
    product = factory.SubFactory(ProductFactory)
    supplier_sku = factory.Sequence(lambda n: f"SUP-{n}")
    purchase_price = Decimal("6.2500")
    lead_time_days = 5
    min_order_quantity = Decimal("12")
