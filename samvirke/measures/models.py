"""Measures and the service map.

The service map (tjenestekart / tjänstekarta) is the programme's own description of the service
system in each municipality and country: ``Service`` (who offers what, to whom, where), and
``Pathway`` with its ordered ``PathwayStep``s (the usual way through the services for a common
situation, written per country). ``ServiceMapSettings`` says whether the map is public.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samvirke.lib.choices import label_of
from samvirke.lib.urls import address
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
        return address("measures:service", self.programme.slug, self.pk)

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
        return address("measures:pathway", self.programme.slug, self.pk)

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


# --- Measures (tiltak / insatser), enrolment and attendance --------------------------------------


class MeasureKind(models.TextChoices):
    WORK_TRAINING = "work_training", _("work training")
    MEETING_PLACE = "meeting_place", _("meeting place / drop-in")
    COURSE = "course", _("course")
    PEER_SUPPORT = "peer_support", _("peer support")
    STUDY_CIRCLE = "study_circle", _("study circle")
    ENTREPRENEURSHIP = "entrepreneurship", _("entrepreneurship support")
    VOLUNTEER_WORK = "volunteer_work", _("volunteer work")
    INDIVIDUAL_FOLLOW_UP = "individual_follow_up", _("individual follow-up")
    OTHER = "other", _("other")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    PILOTING = "piloting", _("piloting")
    RUNNING = "running", _("running")
    PAUSED = "paused", _("paused")
    ENDED = "ended", _("ended")


class MeasureLanguage(models.TextChoices):
    NORWEGIAN = "nb", _("Norwegian")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


TIME_ZONES = {"NO": "Europe/Oslo", "SE": "Europe/Stockholm"}


class Measure(models.Model):
    """A measure the programme runs, with a simple weekly schedule of sessions."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="measures", verbose_name=_("programme")
    )
    name_nb = models.CharField(_("name (Norwegian)"), max_length=200)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_nb = models.TextField(_("description (Norwegian)"), blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=MeasureKind.choices)
    method = models.TextField(_("method"), blank=True, help_text=_("How the measure works."))
    intended_effect = models.TextField(_("intended effect"), blank=True)
    target_group = models.TextField(_("target group"), blank=True)
    subproject = models.ForeignKey(
        "programmes.Subproject",
        on_delete=models.PROTECT,
        related_name="measures",
        verbose_name=_("responsible subproject"),
    )
    partners = models.ManyToManyField(
        "programmes.Organisation",
        related_name="measures",
        blank=True,
        verbose_name=_("partners"),
    )
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("municipality"),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=MeasureLanguage.choices, default="nb"
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit. Beyond it, people go on a waiting list in order."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, null=True, blank=True
    )
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=120)
    first_date = models.DateField(_("first date"), null=True, blank=True)
    last_date = models.DateField(_("last date"), null=True, blank=True)
    goals = models.ManyToManyField(
        "programmes.Goal", related_name="measures", blank=True, verbose_name=_("programme goals")
    )
    indicators = models.ManyToManyField(
        "programmes.Indicator", related_name="measures", blank=True, verbose_name=_("indicators")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "name_nb", "id"]
        indexes = [
            # the catalogue's order within a programme: a page without sorting them all
            models.Index(fields=["programme", "name_nb", "id"], name="measure_catalogue_order"),
        ]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_date__isnull=True)
                | models.Q(last_date__isnull=True)
                | models.Q(last_date__gte=models.F("first_date")),
                name="measure_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return address("measures:measure", self.programme.slug, self.pk)

    # get_FOO_display() at a list's speed (samvirke.lib.choices): the catalogue shows three a row.
    @property
    def kind_label(self) -> str:
        return label_of(MeasureKind, self.kind)

    @property
    def status_label(self) -> str:
        return label_of(MeasureStatus, self.status)

    @property
    def country_label(self) -> str:
        return label_of(Country, self.country)

    @property
    def name(self) -> str:
        return translated(self, "name")

    @property
    def description(self) -> str:
        return translated(self, "description")

    @property
    def time_zone(self) -> str:
        return TIME_ZONES.get(self.country, "Europe/Oslo")

    @property
    def has_schedule(self) -> bool:
        return None not in (self.weekday, self.starts_at, self.first_date, self.last_date)


class MeasureSession(models.Model):
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("measure")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["measure", "starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(fields=["measure", "starts_at"], name="session_unique_start"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def attendance_url(self) -> str:
        return address("measures:attendance", self.measure.programme.slug, self.pk)

    @property
    def day(self) -> dt.date:
        """The session's date where the measure is held."""
        return self.starts_at.astimezone(zoneinfo.ZoneInfo(self.measure.time_zone)).date()


class ReferralSource(models.TextChoices):
    SELF = "self", _("self-referred")
    NAV = "nav", _("NAV")
    ARBETSFORMEDLINGEN = "arbetsformedlingen", _("Arbetsförmedlingen")
    MUNICIPAL = "municipal", _("municipal service")
    USER_ORGANISATION = "user_organisation", _("user organisation")
    HEALTH = "health", _("health service")
    SUBPROJECT = "subproject", _("another subproject of the programme")
    OTHER = "other", _("other")


class EnrolmentStatus(models.TextChoices):
    REFERRED = "referred", _("referred")
    WAITING = "waiting", _("on the waiting list")
    ACTIVE = "active", _("active")
    PAUSED = "paused", _("paused")
    COMPLETED = "completed", _("completed")
    DROPPED_OUT = "dropped_out", _("dropped out")


# Enrolments in these statuses hold one of the measure's places.
PLACE_HOLDING = (EnrolmentStatus.REFERRED, EnrolmentStatus.ACTIVE, EnrolmentStatus.PAUSED)
FINISHED = (EnrolmentStatus.COMPLETED, EnrolmentStatus.DROPPED_OUT)

# Where an enrolment may go from each status. The waiting list is kept by the system (someone
# waiting can only leave it); a finished enrolment can be reopened.
STATUS_CHANGES: dict[str, frozenset[str]] = {
    EnrolmentStatus.REFERRED: frozenset(
        {EnrolmentStatus.ACTIVE, EnrolmentStatus.PAUSED, EnrolmentStatus.DROPPED_OUT}
    ),
    EnrolmentStatus.WAITING: frozenset({EnrolmentStatus.DROPPED_OUT}),
    EnrolmentStatus.ACTIVE: frozenset(
        {EnrolmentStatus.PAUSED, EnrolmentStatus.COMPLETED, EnrolmentStatus.DROPPED_OUT}
    ),
    EnrolmentStatus.PAUSED: frozenset(
        {EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED, EnrolmentStatus.DROPPED_OUT}
    ),
    EnrolmentStatus.COMPLETED: frozenset({EnrolmentStatus.ACTIVE}),
    EnrolmentStatus.DROPPED_OUT: frozenset({EnrolmentStatus.REFERRED, EnrolmentStatus.ACTIVE}),
}


def enrolled_on(day: dt.date) -> models.Q:
    """Enrolments that held a place on ``day``: referred by then, not yet ended, not waiting."""
    return (
        models.Q(referred_on__lte=day)
        & (models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=day))
        & ~models.Q(status=EnrolmentStatus.WAITING)
    )


class DropoutReason(models.TextChoices):
    HEALTH = "health", _("health")
    WORK_OR_STUDY = "work_or_study", _("started work or study")
    MOVED = "moved", _("moved away")
    LOST_CONTACT = "lost_contact", _("lost contact")
    NOT_SUITABLE = "not_suitable", _("the measure did not suit them")
    OTHER = "other", _("other")


class Enrolment(models.Model):
    """A participant in a measure: referral, status, guide and place on the waiting list."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("measure")
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("participant"),
    )
    referral_source = models.CharField(
        _("referred by"), max_length=32, choices=ReferralSource.choices
    )
    guide = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guided_enrolments",
        verbose_name=_("guide responsible"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EnrolmentStatus.choices, default="referred"
    )
    referred_on = models.DateField(_("referred on"))
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # Order on the waiting list; empty for everyone not waiting.
    position = models.PositiveIntegerField(_("place in the queue"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["measure", "position", "referred_on", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "participant"],
                condition=~models.Q(status__in=["completed", "dropped_out"]),
                name="enrolment_one_open_per_measure",
            ),
            models.CheckConstraint(
                condition=models.Q(position__isnull=True) | models.Q(status="waiting"),
                name="enrolment_position_only_waiting",
            ),
        ]
        indexes = [models.Index(fields=["measure", "status"], name="enrolment_measure_status")]

    def __str__(self) -> str:
        return f"{self.participant_id} in {self.measure_id}"

    def get_absolute_url(self) -> str:
        return address("measures:enrolment", self.measure.programme.slug, self.public_id)

    @property
    def is_open(self) -> bool:
        return self.status not in FINISHED

    @property
    def programme_id(self) -> int:
        """For the permission module's same-programme check."""
        return self.measure.programme_id


class EnrolmentStatusChange(models.Model):
    """One step in an enrolment's history; a dropout carries its reason."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="history", verbose_name=_("enrolment")
    )
    status = models.CharField(_("status"), max_length=16, choices=EnrolmentStatus.choices)
    changed_on = models.DateField(_("date"))
    reason_code = models.CharField(
        _("reason"), max_length=32, choices=DropoutReason.choices, blank=True
    )
    reason = models.TextField(_("comment"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["enrolment", "changed_on", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.status}"


class AbsentReason(models.TextChoices):
    ILL = "ill", _("ill")
    APPOINTMENT = "appointment", _("appointment")
    WORK = "work", _("at work")
    NO_SHOW = "no_show", _("did not come, no word")
    OTHER = "other", _("other")


class Attendance(models.Model):
    session = models.ForeignKey(
        MeasureSession,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("session"),
        db_index=False,  # attendance_session_present leads with it
    )
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("enrolment"),
        db_index=False,  # attendance_enrolment_present leads with it
    )
    present = models.BooleanField(_("present"))
    absent_reason = models.CharField(
        _("reason for absence"), max_length=16, choices=AbsentReason.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session", "enrolment"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        indexes = [
            # the attendance rates count "present" per session and per enrolment: with it in
            # the index, PostgreSQL counts from the index alone (a busy measure has 27,000 rows
            # scattered over the table)
            models.Index(fields=["session", "present"], name="attendance_session_present"),
            models.Index(fields=["enrolment", "present"], name="attendance_enrolment_present"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_unique"),
            models.CheckConstraint(
                condition=models.Q(present=False) | models.Q(absent_reason=""),
                name="attendance_no_reason_when_present",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} at {self.session_id}: {self.present}"


class EnrolmentNote(models.Model):
    """A guide's note on an enrolment: always sensitive, every read is logged."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="notes", verbose_name=_("enrolment")
    )
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    # A correction is a new note that replaces an earlier one; the earlier one is kept as history.
    corrects = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,  # notes go only with their enrolment (erasure), all together
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("corrects"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["enrolment", "-created_at", "-id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return f"note {self.pk} on {self.enrolment_id}"


# --- Referrals across subprojects ----------------------------------------------------------------


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("waiting for an answer")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


# The most a referral's reason may hold: what the receiving measure needs to decide, no more.
REFERRAL_REASON_LENGTH = 300


class Referral(models.Model):
    """A participant referred by those who follow them to a measure of another subproject.

    The receiving measure's staff accept it (which enrols the participant through the normal
    enrolment, consent rules and all) or decline it; the referring side may withdraw it while it
    waits. Until it is accepted the receiving staff know the participant by pseudonym only.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="measure_referrals",
        verbose_name=_("participant"),
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("measure")
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("referred by"),
    )
    referred_at = models.DateTimeField(_("referred"), auto_now_add=True)
    # Sensitive: kept short, shown to the receiving staff and the referring side, reads logged.
    reason = models.CharField(_("why"), max_length=REFERRAL_REASON_LENGTH)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ReferralStatus.choices,
        default=ReferralStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decline_reason = models.CharField(
        _("why declined"), max_length=REFERRAL_REASON_LENGTH, blank=True
    )
    enrolment = models.OneToOneField(
        Enrolment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referral",
        verbose_name=_("enrolment"),
    )

    class Meta:
        ordering = ["-referred_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "participant"],
                condition=models.Q(status="pending"),
                name="referral_one_pending_per_measure",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending", decided_at__isnull=True)
                | (~models.Q(status="pending") & models.Q(decided_at__isnull=False)),
                name="referral_decided_unless_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk} to {self.measure_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == ReferralStatus.PENDING

    @property
    def programme_id(self) -> int:
        """For the permission module's same-programme check."""
        return self.measure.programme_id
