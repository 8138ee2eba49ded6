import factory

from orders.models import Customer


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Customer {n}")
    contact_person = factory.Faker("name")
    email = factory.Sequence(lambda n: f"buyer{n}@customer.example")
