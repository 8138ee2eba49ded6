from functools import partial

from django.conf import settings

from accounts.notifications import unread_count

from .navigation import nav_items_for


def site(request):
    return {"CURRENCY": settings.CURRENCY}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    path = request.path
    items = [
        {"item": item, "url": item.url, "active": _is_active(item.url, path)}
        for item in nav_items_for(user)
    ]
    return {
        "nav_items": [entry for entry in items if not entry["item"].in_user_menu],
        "user_menu_items": [entry for entry in items if entry["item"].in_user_menu],
        "user_role": user.role,
        # A callable: the template counts (one query) only where the navbar shows the bell.
        "unread_notifications": partial(unread_count, user),
    }


def _is_active(url: str, path: str) -> bool:
    return path == url if url == "/" else path.startswith(url)
