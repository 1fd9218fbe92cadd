"""Programmes, organisations, partnerships, subprojects, the project group, goals, milestones."""

from __future__ import annotations

import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from samvirke.lib.urls import address


def translated(obj: object, field: str) -> str:
    """The value of ``field_<lang>`` in the active language, falling back nb → sv → en."""
    lang = (translation.get_language() or "nb")[:2]
    order = [lang] + [code for code in ("nb", "sv", "en") if code != lang]
    for code in order:
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class Country(models.TextChoices):
    NORWAY = "NO", _("Norway")
    SWEDEN = "SE", _("Sweden")


class Municipality(models.Model):
    """A municipality with its official number (kommunenummer / kommunkod)."""

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    code = models.CharField(_("official number"), max_length=4)
    name = models.CharField(_("name"), max_length=100)
    county = models.CharField(_("county"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="municipality_unique_code"),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{4}$"), name="municipality_code_four_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class OrganisationType(models.TextChoices):
    MUNICIPALITY = "municipality", _("municipality")
    COUNTY = "county", _("county or region")
    UNIVERSITY = "university", _("university or college")
    RESEARCH_INSTITUTE = "research_institute", _("research institute")
    USER_ORGANISATION = "user_organisation", _("user organisation")
    VOLUNTARY_ORGANISATION = "voluntary_organisation", _("voluntary organisation")
    CHURCH = "church", _("church")
    PUBLIC_AGENCY = "public_agency", _("public agency")
    BUSINESS_SUPPORT = "business_support", _("business-support agency")
    BUSINESS = "business", _("business")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("municipality"),
    )
    org_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class ProgrammeStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    ACTIVE = "active", _("active")
    COMPLETED = "completed", _("completed")


class Programme(models.Model):
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    name_nb = models.CharField(_("name (Norwegian)"), max_length=200)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_nb = models.TextField(_("description (Norwegian)"), blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    funding = models.CharField(
        _("funding"),
        max_length=300,
        blank=True,
        help_text=_("For example Interreg Sverige–Norge, European Regional Development Fund."),
    )
    budget = models.DecimalField(
        _("budget (EUR)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message=_("A budget cannot be negative."))],
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProgrammeStatus.choices, default=ProgrammeStatus.ACTIVE
    )
    calendar_token = models.CharField(max_length=64, default=new_calendar_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "slug"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="programme_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="programme_budget_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return address("programmes:dashboard", self.slug)

    @property
    def name(self) -> str:
        return translated(self, "name")

    @property
    def description(self) -> str:
        return translated(self, "description")

    @property
    def has_ended(self) -> bool:
        """Whether the programme's period is over (the 2008–2011 and 2011–2014 demos are)."""
        return self.ends_on < timezone.localdate()


class Goal(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="goals", verbose_name=_("programme")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text_nb = models.TextField(_("goal (Norwegian)"))
    text_sv = models.TextField(_("goal (Swedish)"), blank=True)
    text_en = models.TextField(_("goal (English)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "position", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return translated(self, "text")


class Indicator(models.Model):
    """A measurable indicator of a goal, with a baseline, a target and the value reached."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("goal")
    )
    subproject = models.ForeignKey(
        "Subproject",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("subproject"),
    )
    name_nb = models.CharField(_("indicator (Norwegian)"), max_length=200)
    name_sv = models.CharField(_("indicator (Swedish)"), max_length=200, blank=True)
    name_en = models.CharField(_("indicator (English)"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2, default=0)
    target = models.DecimalField(
        _("target"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0, message=_("A target cannot be negative."))],
    )
    current = models.DecimalField(_("value reached"), max_digits=12, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["goal", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(condition=Q(target__gte=0), name="indicator_target_not_negative")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return translated(self, "name")

    @property
    def progress_percent(self) -> int:
        """How far the value has come from the baseline to the target, 0–100."""
        target, baseline, current = (
            Decimal(str(v)) for v in (self.target, self.baseline, self.current)
        )
        span = target - baseline
        if span == 0:
            return 100 if current >= target else 0
        share = (current - baseline) / span * Decimal(100)
        return int(max(Decimal(0), min(Decimal(100), share)))


class Milestone(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("programme")
    )
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due"))
    reached_on = models.DateField(_("reached"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "due_on"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class PartnerRole(models.TextChoices):
    LEAD_PARTNER = "lead_partner", _("lead partner for its country")
    PARTNER = "partner", _("partner")
    VOLUNTARY_COLLABORATOR = "voluntary_collaborator", _("voluntary-sector collaborator")


class Partnership(models.Model):
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="partnerships",
        verbose_name=_("programme"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        _("role in the programme"),
        max_length=32,
        choices=PartnerRole.choices,
        default=PartnerRole.PARTNER,
    )
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnership_contacts",
        verbose_name=_("contact person"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "role", "organisation__name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"], name="partnership_unique_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    @property
    def audit_label(self) -> str:
        """What the audit log calls it: the organisation and its role, never the contact person."""
        return str(self)


class SubprojectStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    ACTIVE = "active", _("active")
    PAUSED = "paused", _("paused")
    COMPLETED = "completed", _("completed")


class Subproject(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="subprojects", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubprojectStatus.choices,
        default=SubprojectStatus.ACTIVE,
    )
    owners = models.ManyToManyField(
        Organisation, related_name="subprojects", blank=True, verbose_name=_("owning partners")
    )
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subproject_contacts",
        verbose_name=_("contact person"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "name"]
        verbose_name = _("subproject")
        verbose_name_plural = _("subprojects")
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="subproject_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return address("programmes:subproject", self.programme.slug, self.pk)

    @property
    def audit_label(self) -> str:
        """What the audit log calls it: its name, never the contact person."""
        return self.name


class ProjectGroupMember(models.Model):
    """A member of the programme's joint project group."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="project_group",
        verbose_name=_("programme"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="project_groups",
        verbose_name=_("person"),
    )
    subproject = models.ForeignKey(
        Subproject,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_group_members",
        verbose_name=_("representing subproject"),
    )
    is_user_representative = models.BooleanField(_("user representative"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "user__full_name"]
        verbose_name = _("project group member")
        verbose_name_plural = _("project group members")
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="project_group_unique_user")
        ]

    def __str__(self) -> str:
        return str(self.user)


class SearchEntry(models.Model):
    """Denormalised text of programme content, kept by services, searched per language."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="search_entries"
    )
    kind = models.CharField(max_length=32)
    object_id = models.CharField(max_length=64)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    # Restricts the entry to those who may see the object; empty means the whole programme.
    visibility = models.CharField(max_length=32, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    public_id = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["programme", "kind", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind", "object_id"], name="search_entry_unique_object"
            )
        ]

    def __str__(self) -> str:
        return self.title
