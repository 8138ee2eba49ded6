"""Without a broker (the quick start) an import runs in a thread of the web process: the
request that starts it returns at once and the import finishes on its own connection."""

import time
from decimal import Decimal

import pytest
from django.urls import reverse

from products.tests.factories import ProductFactory
from reports.models import ImportBatch, ImportedSale
from reports.tests.test_import_views import MAPPING, uploaded_batch

pytestmark = pytest.mark.django_db(transaction=True)


def test_without_a_broker_the_import_runs_in_a_thread(client, make_user, settings):
    from accounts.roles import Role

    settings.BACKGROUND_THREADS = True
    client.force_login(make_user(Role.MANAGER))
    ProductFactory(sku="KOPI-1", cost_price=Decimal(9000))
    batch = uploaded_batch(client)
    client.post(
        reverse("reports:import_mapping", args=[batch.pk]), MAPPING | {"excluded_codes": "ONGKIR"}
    )
    assert client.get(reverse("reports:import_preview", args=[batch.pk])).status_code == 200
    started = client.post(reverse("reports:import_apply", args=[batch.pk]))
    assert started.headers["Location"] == reverse("reports:import_detail", args=[batch.pk])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.FAILED):
            break
        time.sleep(0.1)
    assert batch.status == ImportBatch.Status.DONE
    assert ImportedSale.objects.count() == 2  # the postage line excluded
