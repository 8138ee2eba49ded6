"""Writes to users and their roles, for the app's user pages.

Django admin edits users through its own forms; whatever it does to groups, only the Admin role
opens Django admin (inventory_site.admin_site), so a stale is_staff flag grants nothing.
"""

import logging

from axes.utils import reset as axes_reset
from django.contrib.auth.models import Group
from django.db import transaction

from .models import User
from .roles import Role

logger = logging.getLogger("inventory.security")


def _apply_role(user: User, role: Role) -> None:
    role_groups = Group.objects.filter(name__in=Role.values)
    user.groups.remove(*role_groups)
    user.groups.add(Group.objects.get(name=role.value))
    user.__dict__.pop("role", None)  # forget the cached role


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    role: Role,
    password: str,
    email: str = "",
    phone: str = "",
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create an active user with `role`; only admins reach Django admin (is_staff)."""
    user = User(
        username=username,
        email=email,
        phone=phone,
        first_name=first_name,
        last_name=last_name,
        is_staff=role == Role.ADMIN,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    _apply_role(user, role)
    logger.info("user created: %r role=%s by=%r", username, role.value, actor.username)
    return user


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    role: Role,
    is_active: bool,
    email: str = "",
    phone: str = "",
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Update a user's details, role and active flag."""
    old_role = user.role
    user.email, user.phone = email, phone
    user.first_name, user.last_name = first_name, last_name
    user.is_active = is_active
    user.is_staff = role == Role.ADMIN or user.is_superuser
    user.full_clean()
    user.save(update_fields=["email", "phone", "first_name", "last_name", "is_active", "is_staff"])
    _apply_role(user, role)
    if old_role != role:
        logger.info(
            "user role changed: %r %s -> %s by=%r",
            user.username,
            old_role.value if old_role else None,
            role.value,
            actor.username,
        )
    return user


def user_unlock(*, actor: User, user: User) -> int:
    """Clear the failed-login lockout of `user`; return how many attempt records were cleared."""
    cleared = axes_reset(username=user.get_username())
    logger.info("login unlocked: %r by=%r (%d records)", user.username, actor.username, cleared)
    return cleared
