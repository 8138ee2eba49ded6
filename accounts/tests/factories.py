import factory
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import Role

DEFAULT_PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    """A user; pass `role=Role.MANAGER` (or a role name) to put them in that role's group."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        role = Role(extracted)
        self.groups.add(Group.objects.get(name=role.value))
        if role == Role.ADMIN and not self.is_staff:
            self.is_staff = True
            self.save(update_fields=["is_staff"])
