import factory

from integrations.models import Event, Webhook, WebhookAttempt, WebhookDelivery


class WebhookFactory(factory.django.DjangoModelFactory):
    """A webhook subscribed to every event (its URL is not checked: factories skip clean)."""

    class Meta:
        model = Webhook
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"ERP {n}")
    url = "https://erp.example.com/hooks/inventory"
    events = factory.LazyFunction(lambda: list(Event.values))


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    """A pending delivery with `attempts` failed attempts (one by default) in its log."""

    class Meta:
        model = WebhookDelivery
        skip_postgeneration_save = True

    webhook = factory.SubFactory(WebhookFactory)
    event = Event.STOCK_LEVEL_CHANGED
    payload = factory.LazyFunction(lambda: {"product_id": 1, "on_hand": "3.000"})
    attempts = 1
    last_status_code = 500
    last_error = "Internal Server Error"

    @factory.post_generation
    def log(self, create, extracted, **kwargs):
        if create:
            WebhookAttempt.objects.bulk_create(
                WebhookAttempt(
                    delivery=self, number=number, at=self.created_at, status_code=500, error="boom"
                )
                for number in range(1, self.attempts + 1)
            )
