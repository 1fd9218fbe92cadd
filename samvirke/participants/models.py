"""Participants: a pseudonymous record, identity kept apart and encrypted, and consent."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvirke.lib.choices import label_of
from samvirke.lib.urls import address
from samvirke.programmes.models import Country, translated

# No 0/O, 1/I/L: pseudonyms are read aloud and typed from paper.
PSEUDONYM_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
YOUTH_AGE_LIMIT = 25


def pseudonym_check_char(body: str) -> str:
    total = sum((i + 1) * PSEUDONYM_ALPHABET.index(c) for i, c in enumerate(body))
    return PSEUDONYM_ALPHABET[total % len(PSEUDONYM_ALPHABET)]


def new_pseudonym(country: str) -> str:
    """E.g. ``NO-7K3F-Q``: country, four random characters and a check character."""
    body = "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(4))
    return f"{country}-{body}-{pseudonym_check_char(body)}"


def valid_pseudonym(value: str) -> bool:
    parts = value.split("-")
    if len(parts) != 3 or parts[0] not in {"NO", "SE"} or len(parts[1]) != 4:
        return False
    if any(c not in PSEUDONYM_ALPHABET for c in parts[1] + parts[2]):
        return False
    return parts[2] == pseudonym_check_char(parts[1])


class Gender(models.TextChoices):
    WOMAN = "woman", _("woman")
    MAN = "man", _("man")
    OTHER = "other", _("another gender")
    PREFER_NOT_TO_SAY = "not_said", _("prefer not to say")


class Participant(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("programme"),
    )
    pseudonym = models.CharField(_("pseudonym"), max_length=12, unique=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices, blank=True)
    municipality = models.ForeignKey(
        "programmes.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("For example: norsk, arabisk")
    )
    subprojects = models.ManyToManyField(
        "programmes.Subproject",
        related_name="participants",
        blank=True,
        verbose_name=_("subprojects"),
    )
    organisations = models.ManyToManyField(
        "programmes.Organisation",
        related_name="participants",
        blank=True,
        verbose_name=_("organisations"),
    )
    guides = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="guided_participants",
        blank=True,
        verbose_name=_("guides"),
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participant_record",
        verbose_name=_("sign-in account"),
    )
    # Set when the person's data was erased: what is left is pseudonymous and out of follow-up.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pseudonym"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        # The register pages through a programme's people by pseudonym.
        indexes = [
            models.Index(fields=["programme", "pseudonym"]),
            # the participant list: everyone not erased, by pseudonym, with the columns a row
            # shows, so that a page (and the count) is read from the index alone; SQLite
            # keeps the condition and leaves out the included columns
            models.Index(
                fields=["programme", "pseudonym"],
                include=["id", "public_id", "birth_year"],
                condition=models.Q(erased_at__isnull=True),
                name="participant_list_order",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | (Q(birth_year__gte=1900) & Q(birth_year__lte=2100)),
                name="participant_birth_year_plausible",
            )
        ]

    def __str__(self) -> str:
        return self.pseudonym

    def get_absolute_url(self) -> str:
        return address("participants:detail", self.programme.slug, self.public_id)

    @property
    def audit_label(self) -> str:
        """What the audit log calls it: the pseudonym."""
        return self.pseudonym

    @property
    def age(self) -> int | None:
        if self.birth_year is None:
            return None
        return timezone.localdate().year - self.birth_year

    @property
    def is_youth(self) -> bool:
        """The programme's youth focus: under 25."""
        return self.age is not None and self.age < YOUTH_AGE_LIMIT

    @property
    def needs_age_appropriate_consent(self) -> bool:
        """16- and 17-year-olds consent themselves, with texts written for their age."""
        return self.age is not None and 16 <= self.age <= 17


class ParticipantIdentity(models.Model):
    """Who the participant is: encrypted at rest, read only through the services."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="identity", primary_key=True
    )
    full_name = models.TextField()
    email = models.TextField(blank=True)
    phone = models.TextField(blank=True)
    national_id = models.TextField(blank=True)
    national_id_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # The address sign-in links go to: one the participant has confirmed (see
    # participants.sign_in), apart from the contact address staff may edit.
    sign_in_email = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")

    def __str__(self) -> str:
        return f"identity of {self.participant_id}"


class ConsentPurpose(models.TextChoices):
    FOLLOW_UP = "follow_up", _("follow-up in the programme")
    RESEARCH = "research", _("evaluation research")
    QUESTIONNAIRE_CONTACT = "questionnaire_contact", _("contact for follow-up questionnaires")
    TEAM_MATCHING = "team_matching", _("being considered for enterprise teams")
    SHARE_STORY = "share_story", _("sharing my story in dissemination")
    SHARE_PARTNER = "share_partner", _("sharing with a named partner organisation")


class RevealReason(models.TextChoices):
    """Why staff open a participant's identity; contacting for a questionnaire needs consent."""

    FOLLOW_UP = "follow_up", _("follow-up in the programme")
    QUESTIONNAIRE = "questionnaire", _("contact about a follow-up questionnaire")
    OTHER = "other", _("something else (say what below)")


class ConsentText(models.Model):
    """A versioned consent text; a new version never changes consents given to an older one."""

    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    for_youth = models.BooleanField(_("written for 16–17-year-olds"), default=False)
    text_nb = models.TextField(_("text (Norwegian)"))
    text_sv = models.TextField(_("text (Swedish)"))
    text_en = models.TextField(_("text (English)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["purpose", "for_youth", "-version"]
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "for_youth", "version"], name="consent_text_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} v{self.version}"

    @property
    def text(self) -> str:
        return translated(self, "text")


class ConsentMethod(models.TextChoices):
    SELF = "self", _("given by the participant in Samvirke")
    PAPER = "paper", _("recorded by staff from a signed paper form")


class Consent(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="consents")
    partner = models.ForeignKey(
        "programmes.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner organisation"),
    )
    method = models.CharField(_("how"), max_length=8, choices=ConsentMethod.choices)
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["participant", "purpose", "-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "purpose", "partner"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_purpose",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.get_purpose_display()}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def purpose_label(self) -> str:
        """``get_purpose_display()`` at a list's speed (samvirke.lib.choices)."""
        return label_of(ConsentPurpose, self.purpose)


class ConfirmationRoute(models.TextChoices):
    """How a new sign-in address is being confirmed."""

    PREVIOUS_ADDRESS = "previous_address", _("a code sent to the earlier sign-in address")
    COLLEAGUE = "colleague", _("a second staff member's approval")


class SignInConfirmation(models.Model):
    """A sign-in address waiting to be confirmed before any sign-in link goes to it.

    One at a time per participant; a new request replaces the old one. The code is kept only
    as a keyed hash; the address is a Fernet token like the identity's.
    """

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="sign_in_confirmation"
    )
    address = models.TextField()
    route = models.CharField(max_length=20, choices=ConfirmationRoute.choices)
    code_digest = models.CharField(max_length=64, blank=True)
    tries = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sign-in address confirmation")
        verbose_name_plural = _("sign-in address confirmations")

    def __str__(self) -> str:
        return f"sign-in confirmation for {self.participant_id}"

    @property
    def is_fresh(self) -> bool:
        return self.expires_at > timezone.now()


class ErasureStatus(models.TextChoices):
    REQUESTED = "requested", _("waiting")
    CONFIRMED = "confirmed", _("erased")
    REFUSED = "refused", _("refused")


class ErasureRequest(models.Model):
    """A participant's request to have their data erased, and what a manager decided."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="erasure_requests"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ErasureStatus.choices,
        default=ErasureStatus.REQUESTED,
    )
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason for refusing"), blank=True)
    # Whether coded, pseudonymous research data was kept (an active research consent).
    research_data_kept = models.BooleanField(_("research data kept"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(status="requested"),
                name="erasure_one_open_request",
            ),
            models.CheckConstraint(
                condition=Q(status="requested", decided_at__isnull=True)
                | (~Q(status="requested") & Q(decided_at__isnull=False)),
                name="erasure_decided_unless_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == ErasureStatus.REQUESTED


def active_consent_q(purpose: str, prefix: str = "") -> Q:
    """Participants with an active consent for ``purpose`` (for filters across the system)."""
    return Q(
        **{
            f"{prefix}consents__purpose": purpose,
            f"{prefix}consents__withdrawn_at__isnull": True,
        }
    )


def birth_year_bounds() -> tuple[int, int]:
    this_year = dt.date.today().year  # noqa: DTZ011 - a year is the same in Oslo and Stockholm
    return this_year - 110, this_year - 14
