"""Occupation and education classifications used in resource mapping.

The rows come from the files in ``samvirke/mapping/data/`` (see its README for sources and
licences) and are refreshed by ``samvirke import_classifications``; nothing here is edited by hand.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    """The languages classification labels and occupation titles are kept in."""

    NORWEGIAN = "nb", _("Norwegian Bokmål")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


def content_language(code: str | None = None) -> str:
    """``nb``, ``sv`` or ``en`` for a language code (default: the active language)."""
    code = (code if code is not None else translation.get_language() or "").lower()[:2]
    if code in ("nb", "nn", "no"):
        return Language.NORWEGIAN
    if code == "sv":
        return Language.SWEDISH
    return Language.ENGLISH


def _label_in(obj: object, language: str, fallbacks: tuple[str, ...]) -> str:
    for code in (language, *fallbacks):
        value = getattr(obj, f"label_{code}", "")
        if value:
            return str(value)
    return ""


class SsykGroup(models.Model):
    """A group of the Swedish SSYK 2012 classification, as published in the JobTech Taxonomy."""

    code = models.CharField(_("SSYK 2012 code"), max_length=4, unique=True)
    level = models.PositiveSmallIntegerField(_("level"))
    label_sv = models.CharField(_("label (Swedish)"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("SSYK 2012 group")
        verbose_name_plural = _("SSYK 2012 groups")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{1,4}$"), name="ssyk_group_code_digits"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=4), name="ssyk_group_level_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label_sv}"


class Occupation(models.Model):
    """An ISCO-08 group, with the Norwegian STYRK-08 and the linked Swedish SSYK 2012 labels.

    Work history points at a unit group (level 4). ``label_nb`` is the STYRK-08 title of the same
    code where STYRK uses it; ``styrk_label`` is kept apart so the Norwegian label can be shown
    beside a Swedish one.
    """

    code = models.CharField(_("ISCO-08 code"), max_length=4, unique=True)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent group"),
    )
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_nb = models.CharField(_("label (Norwegian)"), max_length=200, blank=True)
    label_sv = models.CharField(_("label (Swedish)"), max_length=200, blank=True)
    styrk_label = models.CharField(_("STYRK-08 label"), max_length=200, blank=True)
    ssyk_groups = models.ManyToManyField(
        SsykGroup, blank=True, related_name="occupations", verbose_name=_("SSYK 2012 groups")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("occupation group")
        verbose_name_plural = _("occupation groups")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{1,4}$"), name="occupation_code_digits"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=4), name="occupation_level_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        """The label in the active language, falling back to English."""
        return self.label_for(content_language())

    def label_for(self, language: str) -> str:
        if language == Language.NORWEGIAN and not self.label_nb and self.styrk_label:
            return self.styrk_label
        return _label_in(self, content_language(language), ("en",))


class OccupationTitle(models.Model):
    """An ESCO occupation title, matched against what people type about their work.

    Alternative titles may be ESCO hidden labels (misspellings, outdated terms) in Swedish and
    Norwegian, so only preferred titles are ever displayed.
    """

    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    title = models.CharField(_("title"), max_length=200)
    is_preferred = models.BooleanField(_("preferred title"), default=False)
    esco_uri = models.CharField(_("ESCO occupation"), max_length=200)
    occupation = models.ForeignKey(
        Occupation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="titles",
        verbose_name=_("occupation group"),
    )
    search_text = models.CharField(_("search text"), max_length=200, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["language", "title"]
        verbose_name = _("occupation title")
        verbose_name_plural = _("occupation titles")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "esco_uri", "title"], name="occupation_title_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EducationScheme(models.TextChoices):
    ISCED_2011 = "isced2011", _("ISCED 2011")
    NUS_2000 = "nus2000", _("NUS2000 (Norway)")
    SUN_2020 = "sun2020", _("SUN 2020 (Sweden)")


class EducationLevel(models.Model):
    """A level of education in ISCED 2011 or in the Norwegian or Swedish national scheme."""

    scheme = models.CharField(_("scheme"), max_length=16, choices=EducationScheme.choices)
    code = models.CharField(_("code"), max_length=8)
    level = models.PositiveSmallIntegerField(_("level in the hierarchy"), default=1)
    parent_code = models.CharField(_("parent code"), max_length=8, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    label_nb = models.CharField(_("label (Norwegian)"), max_length=200, blank=True)
    label_sv = models.CharField(_("label (Swedish)"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scheme", "code"]
        verbose_name = _("education level")
        verbose_name_plural = _("education levels")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="education_level_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        """The label in the active language, else whichever label the source has."""
        return _label_in(self, content_language(), ("en", "nb", "sv"))
