"""Evaluation: instruments and responses (above) and research exports (below)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# --- Research exports ---------------------------------------------------------------------------
# Owned by the research-export work (samvirke/evaluation/exports.py and deidentify.py). Each row
# is one file that left Samvirke: its parameters, how many people were in it, its SHA-256 and the
# random salt its study ids and date shifts were keyed with. The salt is this export's only: no
# other export shares it, so two files cannot be joined on their study ids.


EXPORT_DATASETS = {"outcomes": _("evaluation dataset"), "mapping": _("resource mapping")}
EXPORT_FORMATS = {"csv": "CSV", "sav": "SPSS .sav", "dta": "Stata .dta", "r": "R (CSV + script)"}


class ResearchExport(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="research_exports",
        verbose_name=_("programme"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("exported by"),
    )
    created_at = models.DateTimeField(_("exported"), auto_now_add=True)
    # Hex of 32 random bytes; the key of this export's study ids and date shifts.
    salt = models.CharField(max_length=64, editable=False)
    dataset = models.CharField(_("dataset"), max_length=32)
    file_format = models.CharField(_("format"), max_length=16)
    parameters = models.JSONField(_("parameters"), default=dict)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("research export")
        verbose_name_plural = _("research exports")

    def __str__(self) -> str:
        return f"{self.dataset} {self.file_format} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def dataset_label(self) -> str:
        return str(EXPORT_DATASETS.get(self.dataset, self.dataset))

    @property
    def format_label(self) -> str:
        return EXPORT_FORMATS.get(self.file_format, self.file_format)
