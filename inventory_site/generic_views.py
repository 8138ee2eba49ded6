"""View building blocks shared by the apps."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView

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
