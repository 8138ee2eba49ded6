"""Sign-in and permissions: Django's ModelBackend, with a user's permissions (their own and
their groups') read in one statement of constant text instead of two ORM queries. Nearly
every request asks for a permission, and building those two queries cost more than a counter
sale's write of its stock levels."""

from functools import cache

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from .models import User


@cache
def _permissions_sql() -> str:
    """The statement, with the tables' names as the models give them (constant text)."""
    own = User.user_permissions.through._meta
    member = User.groups.through._meta
    granted = Group.permissions.through._meta
    return (
        "SELECT ct.app_label, p.codename"  # noqa: S608 (table names only, no value)
        f" FROM {Permission._meta.db_table} p"
        f" JOIN {ContentType._meta.db_table} ct ON ct.id = p.content_type_id"
        " WHERE p.id IN ("
        f" SELECT permission_id FROM {own.db_table} WHERE user_id = %(user)s"
        " UNION ALL"
        f" SELECT g.permission_id FROM {granted.db_table} g"
        f" JOIN {member.db_table} m ON m.group_id = g.group_id WHERE m.user_id = %(user)s)"
    )


class PermissionsBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        """As ModelBackend answers it ("app_label.codename" of the user's own permissions and
        their groups', none for an inactive or anonymous user or an object; a superuser's:
        every permission), cached on the user object for the request, as there."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            with connection.cursor() as cursor:
                cursor.execute(_permissions_sql(), {"user": user_obj.pk})
                user_obj._perm_cache = {f"{app}.{code}" for app, code in cursor.fetchall()}
        return user_obj._perm_cache
