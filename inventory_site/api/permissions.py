"""Default API permission: the model permissions of the user's role, reads included."""

from rest_framework import permissions


class ModelPermissions(permissions.DjangoModelPermissions):
    """DjangoModelPermissions that also requires `view_<model>` for safe methods.

    DRF's default lets any authenticated user read; our roles decide who reads what. A view
    without a queryset fails loudly: it must declare its permission classes itself.
    """

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }
