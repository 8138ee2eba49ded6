from django.contrib.auth.decorators import login_not_required
from django.views.generic import TemplateView
from django.views.i18n import set_language as django_set_language

from accounts.roles import Role
from accounts.selectors import dashboard_user_counts


class HomeView(TemplateView):
    """The landing page: a dashboard whose cards depend on the user's role (signed-in users)."""

    template_name = "dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        role = self.request.user.role
        context["role"] = role
        context["is_manager"] = role in (Role.MANAGER, Role.ADMIN)
        if self.request.user.has_perm("accounts.view_user"):
            context["user_counts"] = dashboard_user_counts()
        return context


# The language switch must work on the sign-in page too.
set_language = login_not_required(django_set_language)
