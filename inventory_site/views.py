from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.generic import TemplateView
from django.views.i18n import set_language as django_set_language

from accounts.selectors import dashboard_user_counts
from stock.selectors import low_stock, stock_value


class HomeView(TemplateView):
    """The landing page: a dashboard whose cards depend on the user's role (signed-in users)."""

    template_name = "dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["role"] = self.request.user.role
        # Figures about money are for those who may see costs and stock value.
        context["is_manager"] = self.request.user.has_perm("products.view_cost_price")
        if context["is_manager"]:
            context["stock_value"] = stock_value()
        if self.request.user.has_perm("stock.view_low_stock"):
            context["low_stock_count"] = low_stock().count()
        if self.request.user.has_perm("accounts.view_user"):
            context["user_counts"] = dashboard_user_counts()
        return context


def page_not_found(request, exception):
    """404: JSON under /api/ (clients parse it), the friendly page everywhere else."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


# The language switch must work on the sign-in page too.
set_language = login_not_required(django_set_language)
