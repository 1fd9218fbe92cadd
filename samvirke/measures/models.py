"""Measures and the service map.

The service map (tjenestekart / tjänstekarta) is the programme's own description of the service
system in each municipality and country: ``Service`` (who offers what, to whom, where), and
``Pathway`` with its ordered ``PathwayStep``s (the usual way through the services for a common
situation, written per country). ``ServiceMapSettings`` says whether the map is public.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samvirke.programmes.models import Country, Municipality, Programme, translated

# --- Service map -------------------------------------------------------------------------------


class ProviderKind(models.TextChoices):
    NAV = "nav", _("NAV (labour and welfare)")
    ARBETSFORMEDLINGEN = "arbetsformedlingen", _("Arbetsförmedlingen (public employment)")
    FORSAKRINGSKASSAN = "forsakringskassan", _("Försäkringskassan (social insurance)")
    MUNICIPAL_MENTAL_HEALTH = "municipal_mental_health", _("municipal mental-health service")
    HEALTH_TRUST = "health_trust", _("health trust or region")
    USER_ORGANISATION = "user_organisation", _("user organisation")
    VOLUNTARY_ORGANISATION = "voluntary_organisation", _("voluntary organisation")
    BUSINESS_SUPPORT = "business_support", _("business support (Innovasjon Norge, Almi)")
    CLUBHOUSE = "clubhouse", _("clubhouse (Fontenehus)")
    OTHER = "other", _("other")


class ServiceMapSettings(models.Model):
    """Per programme: whether its service map is published for everyone to read."""

    programme = models.OneToOneField(
        Programme,
        on_delete=models.CASCADE,
        related_name="service_map_settings",
        verbose_name=_("programme"),
    )
    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Anyone, also without signing in, can read the service map and pathways."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme"]
        verbose_name = _("service map settings")
        verbose_name_plural = _("service map settings")

    def __str__(self) -> str:
        return str(self.programme)


class Service(models.Model):
    """A service or offer in a municipality or country, as the programme describes it."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="services", verbose_name=_("programme")
    )
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("municipality"),
        help_text=_("Leave empty for a service that covers a whole region or country."),
    )
    provider_kind = models.CharField(
        _("provider"), max_length=32, choices=ProviderKind.choices, default=ProviderKind.OTHER
    )
    name_nb = models.CharField(_("name (Norwegian)"), max_length=200)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    offers_nb = models.TextField(_("what it offers (Norwegian)"), blank=True)
    offers_sv = models.TextField(_("what it offers (Swedish)"), blank=True)
    offers_en = models.TextField(_("what it offers (English)"), blank=True)
    eligibility_nb = models.TextField(_("who can use it (Norwegian)"), blank=True)
    eligibility_sv = models.TextField(_("who can use it (Swedish)"), blank=True)
    eligibility_en = models.TextField(_("who can use it (English)"), blank=True)
    access_nb = models.TextField(_("how to get there (Norwegian)"), blank=True)
    access_sv = models.TextField(_("how to get there (Swedish)"), blank=True)
    access_en = models.TextField(_("how to get there (English)"), blank=True)
    opening_hours_nb = models.CharField(_("opening hours (Norwegian)"), max_length=200, blank=True)
    opening_hours_sv = models.CharField(_("opening hours (Swedish)"), max_length=200, blank=True)
    opening_hours_en = models.CharField(_("opening hours (English)"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    languages = models.CharField(
        _("languages spoken"),
        max_length=200,
        blank=True,
        help_text=_("For example: norsk, svenska, English, العربية"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "country", "name_nb", "id"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [models.Index(fields=["programme", "country"], name="service_programme_country")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("measures:service", args=[self.programme.slug, self.pk])

    @property
    def name(self) -> str:
        return translated(self, "name")

    @property
    def offers(self) -> str:
        return translated(self, "offers")

    @property
    def eligibility(self) -> str:
        return translated(self, "eligibility")

    @property
    def access(self) -> str:
        return translated(self, "access")

    @property
    def opening_hours(self) -> str:
        return translated(self, "opening_hours")


class Pathway(models.Model):
    """The usual way through the services for one situation in one country.

    A Norwegian and a Swedish pathway for the same situation share its ``situation`` key, so that
    they can be read side by side.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="pathways", verbose_name=_("programme")
    )
    situation = models.SlugField(
        _("situation key"),
        max_length=60,
        help_text=_(
            "A short key shared by the Norwegian and the Swedish pathway for the same situation, "
            "for example sick-leave-to-work-trial."
        ),
    )
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    title_nb = models.CharField(_("title (Norwegian)"), max_length=200)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_nb = models.TextField(_("summary (Norwegian)"), blank=True)
    summary_sv = models.TextField(_("summary (Swedish)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "situation", "country"]
        verbose_name = _("pathway")
        verbose_name_plural = _("pathways")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "situation", "country"], name="pathway_unique_situation"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("measures:pathway", args=[self.programme.slug, self.pk])

    @property
    def title(self) -> str:
        return translated(self, "title")

    @property
    def summary(self) -> str:
        return translated(self, "summary")


class PathwayStep(models.Model):
    pathway = models.ForeignKey(
        Pathway, on_delete=models.CASCADE, related_name="steps", verbose_name=_("pathway")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    title_nb = models.CharField(_("step (Norwegian)"), max_length=200)
    title_sv = models.CharField(_("step (Swedish)"), max_length=200, blank=True)
    title_en = models.CharField(_("step (English)"), max_length=200, blank=True)
    text_nb = models.TextField(_("what happens (Norwegian)"), blank=True)
    text_sv = models.TextField(_("what happens (Swedish)"), blank=True)
    text_en = models.TextField(_("what happens (English)"), blank=True)
    service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pathway_steps",
        verbose_name=_("service"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pathway", "position", "id"]
        verbose_name = _("pathway step")
        verbose_name_plural = _("pathway steps")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return translated(self, "title")

    @property
    def text(self) -> str:
        return translated(self, "text")
