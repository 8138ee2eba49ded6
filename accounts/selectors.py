from collections.abc import Iterable

from axes.conf import settings as axes_settings
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from .models import User


def user_list() -> QuerySet[User]:
    """Return users with their groups prefetched, for the user management list."""
    return User.objects.prefetch_related(
        Prefetch("groups", queryset=Group.objects.only("id", "name"))
    ).order_by("username")


def locked_usernames(usernames: Iterable[str]) -> set[str]:
    """Return which of `usernames` are locked out by failed sign-ins right now (one query)."""
    since = timezone.now() - axes_settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(username__in=list(usernames), attempt_time__gt=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=axes_settings.AXES_FAILURE_LIMIT)
        .values_list("username", flat=True)
    )


def dashboard_user_counts() -> dict[str, int]:
    """Return active and inactive user counts and how many accounts are locked (two queries)."""
    from django.db.models import Count, Q

    counts = User.objects.aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        inactive=Count("pk", filter=Q(is_active=False)),
    )
    since = timezone.now() - axes_settings.AXES_COOLOFF_TIME
    counts["locked"] = (
        AccessAttempt.objects.filter(attempt_time__gt=since, username__isnull=False)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=axes_settings.AXES_FAILURE_LIMIT)
        .count()
    )
    return counts
