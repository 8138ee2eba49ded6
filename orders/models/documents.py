"""Rendered PDF documents, stored so that a document already rendered is served, not redrawn."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RenderedDocument(models.Model):
    """A PDF kept under the hash of the exact HTML it was drawn from.

    The key covers everything printed (the HTML inlines the styles and the logo) and the
    renderer's version, so a stored PDF is never stale: any change to the order, the customer
    or the company profile gives other HTML, hence another key, and a fresh rendering. Only the
    latest rendering of each document (`subject`, e.g. "invoice:42") is kept.
    """

    key = models.CharField(_("key"), max_length=64, unique=True)
    subject = models.CharField(_("document"), max_length=64, db_index=True)
    pdf = models.BinaryField(_("PDF"))
    render_ms = models.PositiveIntegerField(_("render time (ms)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rendered document")
        verbose_name_plural = _("rendered documents")

    def __str__(self):
        return self.subject
