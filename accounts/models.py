from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower, Now
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. Their role is the role group they belong to (see accounts.roles).

    Assignment to stock locations is added by the stock app (Location.users), which keeps this
    model free of a dependency on stock.
    """

    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message=_("A user with that username already exists."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("A user with this email address already exists."),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_absolute_url(self):
        return reverse("accounts:user_update", kwargs={"pk": self.pk})

    @cached_property
    def role(self):
        """Return this user's Role, or None for a user without one (cached on the instance)."""
        from .roles import user_role

        return user_role(self)


class Notification(models.Model):
    """A message for one user, shown in their inbox (the bell) until they mark it read."""

    class Kind(models.TextChoices):
        LOW_STOCK = "low_stock", _("low stock")
        STOCK_MISMATCH = "stock_mismatch", _("stock check")

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=500)
    link = models.CharField(_("link"), max_length=300, blank=True)
    is_read = models.BooleanField(_("read"), default=False)
    created_at = models.DateTimeField(_("time"), db_default=Now(), editable=False)
    # Set by the task that emails it, so a redelivered task does not email twice.
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="accounts_notif_recipient_idx"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(is_read=False),
                name="accounts_notif_unread_idx",
            ),
        ]

    def __str__(self):
        return self.text
