from collections.abc import Iterable

from axes.conf import settings as axes_settings
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from .models import User


def user_list() -> QuerySet[User]:
    """Return users with their groups prefetched, for the user management list."""
    return User.objects.prefetch_related(
        Prefetch("groups", queryset=Group.objects.only("id", "name"))
    ).order_by("username")


def _locked_out_usernames() -> QuerySet:
    """Usernames whose failed sign-ins within the cool-off reach the lockout limit."""
    since = timezone.now() - axes_settings.AXES_COOLOFF_TIME
    return (
        AccessAttempt.objects.filter(attempt_time__gt=since, username__isnull=False)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=axes_settings.AXES_FAILURE_LIMIT)
        .values_list("username", flat=True)
    )


def locked_usernames(usernames: Iterable[str]) -> set[str]:
    """Return which of `usernames` are locked out by failed sign-ins right now (one query)."""
    return set(_locked_out_usernames().filter(username__in=list(usernames)))


def dashboard_user_counts() -> dict[str, int]:
    """Return active and inactive user counts and how many accounts are locked (two queries)."""
    counts = User.objects.aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        inactive=Count("pk", filter=Q(is_active=False)),
    )
    counts["locked"] = _locked_out_usernames().count()
    return counts
