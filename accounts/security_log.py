"""Security events (lockouts, sign-ins) logged to `inventory.security`; failure counts reset."""

import logging

from axes.signals import user_locked_out
from axes.utils import reset as axes_reset
from django.contrib.auth.signals import user_logged_in, user_login_failed

logger = logging.getLogger("inventory.security")


def _client_ip(request) -> str:
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "?")


def log_lockout(sender, request, username, ip_address, **kwargs):
    logger.warning("login locked out: username=%r ip=%s", username, ip_address)


def log_login(sender, request, user, **kwargs):
    logger.info("login: username=%r ip=%s", user.get_username(), _client_ip(request))


def reset_own_failures(sender, request, user, **kwargs):
    """After a successful sign-in, forget that account's failures (and no one else's)."""
    axes_reset(username=user.get_username())


def log_login_failed(sender, credentials, request=None, **kwargs):
    ip = _client_ip(request) if request is not None else "?"
    logger.info("login failed: username=%r ip=%s", credentials.get("username"), ip)


def connect():
    user_locked_out.connect(log_lockout, dispatch_uid="inventory.security.lockout")
    user_logged_in.connect(log_login, dispatch_uid="inventory.security.login")
    user_logged_in.connect(reset_own_failures, dispatch_uid="inventory.security.reset_failures")
    user_login_failed.connect(log_login_failed, dispatch_uid="inventory.security.login_failed")
