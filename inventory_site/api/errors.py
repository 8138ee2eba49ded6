"""Turn service-layer errors into API responses with field-level detail."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers

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
