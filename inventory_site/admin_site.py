from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class AdminSite(admin.AdminSite):
    """Django admin, open to the Admin role only (DESIGN: users, roles, Django admin)."""

    site_header = _("Inventory administration")
    site_title = _("Inventory admin")

    def has_permission(self, request):
        from accounts.roles import Role

        user = request.user
        return user.is_active and user.is_staff and user.role == Role.ADMIN
