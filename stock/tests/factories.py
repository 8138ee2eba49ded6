import factory

from stock.models import Location


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Store {n}")
    kind = Location.Kind.STORE
