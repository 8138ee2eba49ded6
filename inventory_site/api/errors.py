"""Turn service-layer errors into API responses with field-level detail."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework import views as drf_views
from rest_framework.settings import api_settings

from inventory_site.exceptions import HasHistoryError


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = _("This conflicts with the current state of the object.")
    default_code = "conflict"


@contextmanager
def service_errors():
    """Re-raise a service's ValidationError as a 400 with field errors, HasHistoryError as 409."""
    try:
        yield
    except DjangoValidationError as error:
        raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
    except HasHistoryError as refusal:
        raise Conflict(refusal.message) from refusal


def exception_handler(exc, context):
    """DRF's handler, with every error body an object (clients need one shape to parse).

    A ValidationError raised with a list (DRF's search filter does) becomes
    {"non_field_errors": [...]}, like a serializer's errors that belong to no field.
    """
    response = drf_views.exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        response.data = {api_settings.NON_FIELD_ERRORS_KEY: response.data}
    return response


def unique_ci(model, field: str, value: str, instance, message) -> str:
    """Validate that no other `model` row has `field` equal to `value`, whatever its case.

    For fields whose uniqueness is a case-insensitive database constraint (on Lower(field)),
    which DRF cannot turn into a validator by itself.
    """
    value = value.strip()
    others = model.objects.filter(**{f"{field}__iexact": value})
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    if others.exists():
        raise serializers.ValidationError(message, code="unique")
    return value
