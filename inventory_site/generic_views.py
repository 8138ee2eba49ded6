"""View building blocks shared by the apps."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView

from .exceptions import HasHistoryError


class ServiceDeleteView(PermissionRequiredMixin, DetailView):
    """Confirm (GET), then delete through `delete_service(actor=, <context_object_name>=)` (POST).

    A HasHistoryError refusal comes back as an error message on the object's page; nothing changes.
    """

    template_name = "confirm_delete.html"
    delete_service = None  # e.g. staticmethod(services.product_delete)
    success_url = None

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        try:
            self.delete_service(actor=request.user, **{self.get_context_object_name(obj): obj})
        except HasHistoryError as refusal:
            messages.error(request, refusal.message)
            return redirect(obj.get_absolute_url())
        messages.success(request, _("%(object)s deleted.") % {"object": obj})
        return redirect(self.success_url)


class ServiceFormView(PermissionRequiredMixin, FormView):
    """A form whose valid data goes to a service through `form_save(form)`.

    A ValidationError from the service (a model constraint the form could not check) is shown on
    the form, on its field where the form has one.
    """

    def form_save(self, form):  # pragma: no cover - every subclass defines it
        raise ImproperlyConfigured(f"{type(self).__name__} must define form_save()")

    def form_valid(self, form):
        try:
            return self.form_save(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)


def add_service_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
