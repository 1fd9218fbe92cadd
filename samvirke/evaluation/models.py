"""Outcome data: instruments, schedules, questionnaire responses and their scores.

The names, as the research exports and the analysis read them:

- ``Instrument`` — a questionnaire by its stable key (``who5``, ``phq9`` …). Built-in ones
  come from the data files in ``evaluation/instruments/`` (``programme`` empty); staff build
  their own for one programme.
- ``InstrumentVersion`` — one version of it. ``definition`` holds the whole validated data
  file (items, options, scoring, bands, reliability, source, licence); a *published* version
  never changes, so a score can always be recomputed from the version it names.
- ``Item`` and ``ResponseOption`` — a version's questions and answer options in nb/sv/en,
  copied out of ``definition`` so pages and answers can point at rows.
- ``Schedule`` and ``TimePoint`` — when a programme or one measure asks which instruments:
  baseline at enrolment, follow-ups months later, a closing questionnaire at completion or
  drop-out, each with a window of ± days.
- ``QuestionnaireResponse`` — one person's answering of one instrument version at one time
  point: due, started, submitted (or missed). Self-completed or entered by staff.
- ``ItemAnswer`` — the answer to one item; ``AnswerCorrection`` keeps every earlier value of a
  submitted answer with the reason it was changed.
- ``Score`` — a scale's score of a response under one scoring version; rescoring after a
  corrected version adds rows and marks the newest ``is_current``.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvirke.mapping.models import content_language


def _in_language(obj: object, field: str, language: str | None = None) -> str:
    code = content_language(language)
    for candidate in (code, "en", "nb", "sv"):
        value = getattr(obj, f"{field}_{candidate}", "")
        if value:
            return str(value)
    return ""


class InstrumentOrigin(models.TextChoices):
    FILE = "file", _("data file shipped with Samvirke")
    STAFF = "staff", _("built by staff in Samvirke")


class Instrument(models.Model):
    """A questionnaire by its stable key; its content lives in its versions."""

    key = models.SlugField(_("key"), max_length=40)
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="instruments",
        verbose_name=_("programme"),
    )
    origin = models.CharField(_("origin"), max_length=8, choices=InstrumentOrigin.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(programme__isnull=True), name="instrument_builtin_key"
            ),
            models.UniqueConstraint(
                fields=["programme", "key"],
                condition=Q(programme__isnull=False),
                name="instrument_programme_key",
            ),
        ]

    def __str__(self) -> str:
        return self.key


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class InstrumentVersion(models.Model):
    """One version of an instrument: the data file as validated, and its flags."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="versions", verbose_name=_("instrument")
    )
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    title_nb = models.CharField(_("title (Norwegian)"), max_length=200)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    # The whole instrument file as loaded (JSON Schema ``instrument.schema.json``).
    definition = models.JSONField(_("definition"), default=dict)
    # SHA-256 of the canonical JSON of ``definition`` without item texts (scoring and items).
    checksum = models.CharField(max_length=64, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    redistributable = models.BooleanField(_("item texts may be redistributed"), default=True)
    translation_verified = models.BooleanField(
        _("translation verified against the official version"), default=False
    )
    # False for a licensed instrument whose item texts the licensee has not put in place.
    texts_available = models.BooleanField(_("item texts available"), default=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["instrument", "-version"]
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "version"], name="instrument_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.key} v{self.version}"

    def title(self, language: str | None = None) -> str:
        return _in_language(self, "title", language)

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


class ItemKind(models.TextChoices):
    CHOICE = "choice", _("one answer from a list")
    NUMBER = "number", _("a whole number")
    # Plain text of at most ``Item.maximum`` characters: never scored, kept out of research
    # exports unless a researcher asks for it.
    TEXT = "text", _("free text")


class Item(models.Model):
    """One question of an instrument version."""

    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.CASCADE, related_name="items", verbose_name=_("version")
    )
    key = models.SlugField(_("key"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=8, choices=ItemKind.choices)
    text_nb = models.TextField(_("question (Norwegian)"), blank=True)
    text_sv = models.TextField(_("question (Swedish)"), blank=True)
    text_en = models.TextField(_("question (English)"), blank=True)
    reversed = models.BooleanField(_("reverse-scored"), default=False)
    required = models.BooleanField(_("must be answered"), default=False)
    minimum = models.IntegerField(_("smallest number"), null=True, blank=True)
    maximum = models.IntegerField(_("largest number"), null=True, blank=True)
    # Shown only when another item has one of these values, e.g. {"item": "status", "in": [1]}.
    shown_if = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="item_unique_key"),
            models.UniqueConstraint(fields=["version", "position"], name="item_unique_position"),
        ]

    def __str__(self) -> str:
        return self.key

    def text(self, language: str | None = None) -> str:
        return _in_language(self, "text", language)


class ResponseOption(models.Model):
    """One answer option of a choice item, with the value that is scored."""

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="options", verbose_name=_("item")
    )
    value = models.IntegerField(_("value"))
    position = models.PositiveSmallIntegerField(_("position"))
    label_nb = models.CharField(_("label (Norwegian)"), max_length=300, blank=True)
    label_sv = models.CharField(_("label (Swedish)"), max_length=300, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=300, blank=True)

    class Meta:
        ordering = ["item", "position"]
        verbose_name = _("response option")
        verbose_name_plural = _("response options")
        constraints = [
            models.UniqueConstraint(fields=["item", "value"], name="response_option_unique_value"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}={self.value}"

    def label(self, language: str | None = None) -> str:
        return _in_language(self, "label", language)


class Schedule(models.Model):
    """When a programme, or one of its measures, collects which instruments."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="schedules",
        verbose_name=_("programme"),
    )
    # Empty: every enrolment in the programme; otherwise enrolments in this measure only.
    measure = models.ForeignKey(
        "measures.Measure",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="schedules",
        verbose_name=_("measure"),
    )
    name = models.CharField(_("name"), max_length=200)
    instruments = models.ManyToManyField(
        Instrument, related_name="schedules", verbose_name=_("instruments")
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "name"]
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")

    def __str__(self) -> str:
        return self.name


class Anchor(models.TextChoices):
    ENROLMENT = "enrolment", _("enrolment")
    END = "end", _("completion or drop-out")


class TimePoint(models.Model):
    """One occasion of a schedule: so many months after enrolment, or at the end."""

    schedule = models.ForeignKey(
        Schedule, on_delete=models.CASCADE, related_name="time_points", verbose_name=_("schedule")
    )
    key = models.SlugField(_("key"), max_length=20)  # baseline, m3, m6, m12, closing
    position = models.PositiveSmallIntegerField(_("position"))
    anchor = models.CharField(_("counted from"), max_length=10, choices=Anchor.choices)
    offset_months = models.PositiveSmallIntegerField(_("months after"), default=0)
    window_days = models.PositiveSmallIntegerField(_("window (± days)"), default=14)

    class Meta:
        ordering = ["schedule", "position"]
        verbose_name = _("time point")
        verbose_name_plural = _("time points")
        constraints = [
            models.UniqueConstraint(fields=["schedule", "key"], name="time_point_unique_key"),
        ]

    def __str__(self) -> str:
        return self.key


class ResponseStatus(models.TextChoices):
    DUE = "due", _("not started")
    IN_PROGRESS = "in_progress", _("started")
    SUBMITTED = "submitted", _("submitted")
    MISSED = "missed", _("missed")


class EntryMode(models.TextChoices):
    SELF = "self", _("answered by the participant")
    STAFF_ASSISTED = "staff", _("entered by staff with the participant")
    PAPER = "paper", _("entered from a paper form")
    IMPORTED = "imported", _("imported from earlier evaluation data")


class QuestionnaireResponse(models.Model):
    """One person answering one instrument version at one time point."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="questionnaire_responses",
        verbose_name=_("participant"),
    )
    version = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.PROTECT,
        related_name="responses",
        verbose_name=_("instrument version"),
    )
    time_point = models.ForeignKey(
        TimePoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("time point"),
    )
    enrolment = models.ForeignKey(
        "measures.Enrolment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questionnaire_responses",
        verbose_name=_("enrolment"),
    )
    due_on = models.DateField(_("due"))
    window_opens = models.DateField(_("window opens"))
    window_closes = models.DateField(_("window closes"))
    status = models.CharField(
        _("status"), max_length=12, choices=ResponseStatus.choices, default=ResponseStatus.DUE
    )
    mode = models.CharField(
        _("entered"), max_length=8, choices=EntryMode.choices, default=EntryMode.SELF
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    language = models.CharField(_("language"), max_length=2, blank=True)
    # The position of the next item to show: where "continue later" picks up.
    next_position = models.PositiveSmallIntegerField(default=1)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    # A stable key of an imported row, so that importing the same file again changes nothing.
    import_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "time_point", "enrolment", "version"],
                condition=Q(time_point__isnull=False),
                name="response_one_per_time_point",
            ),
        ]
        indexes = [
            models.Index(fields=["participant", "status"], name="response_participant_status"),
            models.Index(fields=["status", "due_on"], name="response_status_due"),
            models.Index(fields=["import_key"], name="response_import_key"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.version_id} {self.due_on}"

    @property
    def is_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED


class ItemAnswer(models.Model):
    """The answer to one item. ``value`` is empty when the person chose not to answer."""

    response = models.ForeignKey(
        QuestionnaireResponse,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("response"),
    )
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="answers", verbose_name=_("item")
    )
    value = models.IntegerField(_("value"), null=True, blank=True)
    # The answer to a free-text item (``value`` stays empty); blank for every other kind.
    text = models.TextField(_("text"), blank=True)
    answered_at = models.DateTimeField(_("answered"))

    class Meta:
        ordering = ["response", "item__position"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="answer_one_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}={self.value}"


class AnswerCorrection(models.Model):
    """An earlier value of a submitted answer, who changed it, when and why."""

    answer = models.ForeignKey(
        ItemAnswer, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("answer")
    )
    old_value = models.IntegerField(_("old value"), null=True, blank=True)
    new_value = models.IntegerField(_("new value"), null=True, blank=True)
    # A free-text item's answer before and after (its values stay empty); blank for other kinds.
    old_text = models.TextField(_("old text"), blank=True)
    new_text = models.TextField(_("new text"), blank=True)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"))

    class Meta:
        ordering = ["answer", "changed_at", "id"]
        verbose_name = _("answer correction")
        verbose_name_plural = _("answer corrections")

    def __str__(self) -> str:
        return f"{self.old_value} → {self.new_value}"


class Score(models.Model):
    """A scale's score of one response under the scoring of one instrument version."""

    response = models.ForeignKey(
        QuestionnaireResponse,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("response"),
    )
    scored_with = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("scored with version"),
    )
    scale = models.SlugField(_("scale"), max_length=40)  # "total" or a subscale key
    raw = models.FloatField(_("raw score"), null=True, blank=True)
    value = models.FloatField(_("score"), null=True, blank=True)  # after the transform
    band = models.CharField(_("band"), max_length=40, blank=True)
    answered = models.PositiveSmallIntegerField(_("items answered"))
    prorated = models.BooleanField(_("prorated"), default=False)
    is_current = models.BooleanField(default=True)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        ordering = ["response", "scale", "-computed_at"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "scored_with", "scale"], name="score_unique_per_version"
            ),
        ]
        indexes = [models.Index(fields=["response", "is_current"], name="score_current")]

    def __str__(self) -> str:
        return f"{self.scale}={self.value}"


class SafetyAlert(models.Model):
    """An answer that asks for a person to follow up the same day: an item marked ``safety`` in
    the instrument file (PHQ-9 item 9, thoughts of self-harm) answered above 0.

    One per response and item. The alert holds no value: what was answered stays in
    ``ItemAnswer``; this row says only that the guides were told, and who followed it up."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    response = models.ForeignKey(
        QuestionnaireResponse,
        on_delete=models.CASCADE,
        related_name="safety_alerts",
        verbose_name=_("response"),
    )
    item_key = models.SlugField(_("item"), max_length=40)
    raised_at = models.DateTimeField(_("raised"))
    handled_at = models.DateTimeField(_("followed up"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("followed up by"),
    )

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("safety alert")
        verbose_name_plural = _("safety alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "item_key"], name="safety_alert_one_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id} {self.item_key}"


# --- Research exports ---------------------------------------------------------------------------
# Owned by the research-export work (samvirke/evaluation/exports.py and deidentify.py). Each row
# is one file that left Samvirke: its parameters, how many people were in it, its SHA-256 and the
# random salt its study ids and date shifts were keyed with. The salt is this export's only: no
# other export shares it, so two files cannot be joined on their study ids.


EXPORT_DATASETS = {"outcomes": _("evaluation dataset"), "mapping": _("resource mapping")}
EXPORT_FORMATS = {"csv": "CSV", "sav": "SPSS .sav", "dta": "Stata .dta", "r": "R (CSV + script)"}


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    RUNNING = "running", _("being written")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


# A finished file waits in the private folder for its researcher this long at most.
EXPORT_FILE_LIFETIME = dt.timedelta(hours=24)


class ResearchExport(models.Model):
    """One research file: asked for by a researcher, written by a background task into the
    private folder, handed to that researcher once, then deleted (or after 24 hours)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
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
    status = models.CharField(
        _("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_expected = models.PositiveIntegerField(_("rows expected"), default=0)
    # Where the finished file waits in the private storage; blank once it is gone.
    file_name = models.CharField(max_length=200, blank=True, editable=False)
    download_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("deleted at the latest"), null=True, blank=True)
    downloaded_at = models.DateTimeField(_("downloaded"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("file deleted"), null=True, blank=True)

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

    @property
    def is_pending(self) -> bool:
        return self.status in {ExportStatus.QUEUED, ExportStatus.RUNNING}

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_expected:
            return 0
        return min(99, self.rows * 100 // self.rows_expected)

    @property
    def is_available(self) -> bool:
        """The finished file still waits: not downloaded, not expired, not deleted."""
        return (
            self.status == ExportStatus.DONE
            and bool(self.file_name)
            and self.deleted_at is None
            and (self.expires_at is None or self.expires_at > timezone.now())
        )


# --- Evaluation analyses (issue 11) --------------------------------------------------------------
# Owned by the analysis pages (analysis_services.py, analysis_tasks.py). One row is one run of the
# engine (samvirke/evaluation/analysis/) over a programme's consented data: its parameters, its
# progress while the background task runs, and the result as plain JSON (aggregates only, never a
# person's id), or the error that stopped it.


class AnalysisStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    RUNNING = "running", _("running")
    DONE = "done", _("finished")
    FAILED = "failed", _("failed")


class AnalysisRun(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="analysis_runs",
        verbose_name=_("programme"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=AnalysisStatus.choices, default=AnalysisStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (per cent)"), default=0)
    parameters = models.JSONField(_("parameters"), default=dict)
    result = models.JSONField(_("result"), default=dict, blank=True)
    checksum = models.CharField(_("data checksum (SHA-256)"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("analysis run")
        verbose_name_plural = _("analysis runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="analysis_run_progress_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.status} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_pending(self) -> bool:
        return self.status in (AnalysisStatus.QUEUED, AnalysisStatus.RUNNING)
