"""Social enterprises (etableringer): ventures, their stages, teams, needs and team proposals.

A ``Venture`` moves through ``Stage``s from idea to operation; every move is a dated
``StageChange`` with who and why. ``TeamMember``s are participants (by pseudonym), guides,
volunteers and mentors; ``Need``s are the competencies the venture is looking for, from the
mapping's vocabulary. A ``FormationRun`` of the team-formation engine leaves ``Proposal``s that
staff accept or reject and participants may decline; nothing is assigned without a person.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samvirke.lib.urls import address
from samvirke.programmes.models import Country


class LegalForm(models.TextChoices):
    # Norway
    NO_AS = "no_as", _("AS (limited company)")
    NO_ENK = "no_enk", _("ENK (sole proprietorship)")
    NO_SA = "no_sa", _("SA (cooperative, samvirkeforetak)")
    NO_STIFTELSE = "no_stiftelse", _("stiftelse (foundation)")
    NO_FORENING = "no_forening", _("forening (association)")
    # Sweden
    SE_AB = "se_ab", _("aktiebolag (limited company)")
    SE_EF = "se_ef", _("enskild firma (sole trader)")
    SE_EKONOMISK = "se_ekonomisk", _("ekonomisk förening (cooperative)")
    SE_IDEELL = "se_ideell", _("ideell förening (non-profit association)")
    # Either country: an enterprise inside an existing organisation
    INTRAPRENEURSHIP = "intrapreneurship", _("intrapreneurship inside an existing organisation")


LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    Country.NORWAY: (
        LegalForm.NO_AS,
        LegalForm.NO_ENK,
        LegalForm.NO_SA,
        LegalForm.NO_STIFTELSE,
        LegalForm.NO_FORENING,
        LegalForm.INTRAPRENEURSHIP,
    ),
    Country.SWEDEN: (
        LegalForm.SE_AB,
        LegalForm.SE_EF,
        LegalForm.SE_EKONOMISK,
        LegalForm.SE_IDEELL,
        LegalForm.INTRAPRENEURSHIP,
    ),
}


class Stage(models.TextChoices):
    IDEA = "idea", _("idea")
    CLARIFICATION = "clarification", _("clarification")
    TEAM = "team", _("team")
    BUSINESS_PLAN = "business_plan", _("business plan")
    ESTABLISHMENT = "establishment", _("establishment")
    OPERATION = "operation", _("operation")
    ENDED = "ended", _("ended")


STAGE_ORDER: tuple[str, ...] = tuple(Stage.values)


class Venture(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="ventures"
    )
    subproject = models.ForeignKey(
        "programmes.Subproject",
        on_delete=models.PROTECT,
        related_name="ventures",
        verbose_name=_("subproject"),
    )
    name = models.CharField(_("name"), max_length=200)
    idea = models.TextField(_("the idea"), blank=True)
    social_mission = models.TextField(_("social mission"), blank=True)
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    municipality = models.ForeignKey(
        "programmes.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    remote_friendly = models.BooleanField(
        _("team members can work from elsewhere"),
        default=False,
        help_text=_("Then people from other municipalities can be proposed for the team."),
    )
    legal_form = models.CharField(
        _("intended legal form"), max_length=20, choices=LegalForm.choices
    )
    organisations = models.ManyToManyField(
        "programmes.Organisation",
        blank=True,
        related_name="ventures",
        verbose_name=_("founding and supporting organisations"),
    )
    interests = models.CharField(
        _("interests it suits"),
        max_length=300,
        blank=True,
        help_text=_("Interest codes from the mapping, separated by spaces."),
    )
    min_team_size = models.PositiveSmallIntegerField(_("smallest team"), default=2)
    max_team_size = models.PositiveSmallIntegerField(_("largest team"), default=6)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.IDEA)
    stage_since = models.DateTimeField(_("in this stage since"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "name", "id"]
        verbose_name = _("venture")
        verbose_name_plural = _("ventures")
        indexes = [models.Index(fields=["programme", "stage"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_team_size__gte=1) & Q(max_team_size__gte=models.F("min_team_size")),
                name="venture_team_size_bounds",
            ),
            models.CheckConstraint(
                condition=Q(max_team_size__lte=50), name="venture_team_size_at_most_50"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return address("ventures:detail", self.programme.slug, self.public_id)

    @property
    def interest_codes(self) -> frozenset[str]:
        return frozenset(self.interests.split())


class StageChange(models.Model):
    venture = models.ForeignKey(Venture, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from"), max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=16, choices=Stage.choices)
    reason = models.TextField(_("why"), blank=True)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    moved_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["venture", "moved_at", "id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.venture}: {self.from_stage} → {self.to_stage}"


class MemberKind(models.TextChoices):
    PARTICIPANT = "participant", _("participant")
    GUIDE = "guide", _("guide")
    VOLUNTEER = "volunteer", _("volunteer")
    MENTOR = "mentor", _("mentor")


class TeamMember(models.Model):
    venture = models.ForeignKey(Venture, on_delete=models.CASCADE, related_name="members")
    kind = models.CharField(_("kind"), max_length=12, choices=MemberKind.choices)
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="venture_memberships",
        verbose_name=_("participant"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="venture_memberships",
        verbose_name=_("guide"),
    )
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("For volunteers and mentors.")
    )
    skills = models.ManyToManyField(
        "mapping.Skill",
        blank=True,
        related_name="+",
        verbose_name=_("skills they bring"),
        help_text=_("A participant's skills come from their mapping."),
    )
    role = models.CharField(_("role in the team"), max_length=120, blank=True)
    hours_per_week = models.DecimalField(
        _("hours a week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(_("to"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["venture", "kind", "id"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="participant") & Q(participant__isnull=False))
                | (~Q(kind="participant") & Q(participant__isnull=True)),
                name="team_member_participant_iff_kind",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="team_member_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True)
                | (Q(hours_per_week__gte=0) & Q(hours_per_week__lte=80)),
                name="team_member_hours_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """How the member is shown: a participant by pseudonym, never by name."""
        if self.participant_id is not None:
            return self.participant.pseudonym  # type: ignore[union-attr]
        if self.user_id is not None:
            return self.user.get_short_name()  # type: ignore[union-attr]
        return self.name

    def is_active_on(self, day: object) -> bool:
        return self.ends_on is None or self.ends_on >= day  # type: ignore[operator]


class Importance(models.IntegerChoices):
    NICE = 1, _("nice to have")
    IMPORTANT = 2, _("important")
    ESSENTIAL = 3, _("essential")


class Need(models.Model):
    venture = models.ForeignKey(Venture, on_delete=models.CASCADE, related_name="needs")
    skill = models.ForeignKey(
        "mapping.Skill",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skill"),
    )
    occupation = models.ForeignKey(
        "mapping.Occupation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("occupation (ISCO-08)"),
    )
    description = models.CharField(_("in your own words"), max_length=300, blank=True)
    importance = models.PositiveSmallIntegerField(
        _("importance"), choices=Importance.choices, default=Importance.IMPORTANT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["venture", "-importance", "id"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        constraints = [
            models.CheckConstraint(
                condition=Q(skill__isnull=False) | Q(occupation__isnull=False) | ~Q(description=""),
                name="need_says_what",
            ),
            models.CheckConstraint(
                condition=Q(importance__gte=1) & Q(importance__lte=3), name="need_importance_1_3"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.skill_id is not None:
            return self.skill.label  # type: ignore[union-attr]
        if self.occupation_id is not None:
            return f"{self.occupation.label} ({self.occupation.code})"  # type: ignore[union-attr]
        return self.description

    @property
    def key(self) -> str:
        """What the engine matches: a skill code, or an ISCO-08 prefix; free text matches none."""
        if self.skill_id is not None:
            return self.skill.code  # type: ignore[union-attr]
        if self.occupation_id is not None:
            return f"isco:{self.occupation.code}"  # type: ignore[union-attr]
        return ""


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class FormationRun(models.Model):
    """One run of the team-formation engine over the ventures and candidates a person manages."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="formation_runs"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    subprojects = models.ManyToManyField("programmes.Subproject", blank=True, related_name="+")
    seed = models.PositiveIntegerField(_("seed"), default=1)
    max_ventures_per_person = models.PositiveSmallIntegerField(
        _("ventures a person can be proposed for"), default=1
    )
    time_limit = models.PositiveSmallIntegerField(_("time limit (seconds)"), default=10)
    status = models.CharField(
        _("status"), max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    method = models.CharField(_("method"), max_length=12, blank=True)
    candidates = models.PositiveIntegerField(_("candidates"), default=0)
    objective = models.FloatField(_("objective"), null=True, blank=True)
    bound = models.FloatField(_("bound"), null=True, blank=True)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["programme", "-created_at", "-id"]
        verbose_name = _("team-formation run")
        verbose_name_plural = _("team-formation runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_ventures_per_person__gte=1) & Q(max_ventures_per_person__lte=5),
                name="run_ventures_per_person_1_5",
            ),
            models.CheckConstraint(
                condition=Q(time_limit__gte=1) & Q(time_limit__lte=120),
                name="run_time_limit_1_120",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="run_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        if self.bound <= 0:
            return 0.0
        return max(0.0, (self.bound - self.objective) / self.bound)

    @property
    def gap_percent(self) -> str:
        gap = self.gap
        return "" if gap is None else f"{100 * gap:.2f}"

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")
    DECLINED = "declined", _("declined by the participant")


class Proposal(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    run = models.ForeignKey(FormationRun, on_delete=models.CASCADE, related_name="proposals")
    venture = models.ForeignKey(Venture, on_delete=models.CASCADE, related_name="proposals")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="team_proposals"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    # Codes only (skill and interest codes, the other venture's id): the page words it.
    explanation = models.JSONField(_("explanation"), default=dict)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["run", "venture", "participant", "id"]
        verbose_name = _("team proposal")
        verbose_name_plural = _("team proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "venture", "participant"], name="proposal_once_per_run"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} → {self.venture}"

    @property
    def is_open(self) -> bool:
        return self.status == ProposalStatus.PROPOSED


class RevenueBand(models.TextChoices):
    NONE = "none", _("no revenue yet")
    UNDER_100K = "under_100k", _("under 100,000 a year")
    UNDER_500K = "under_500k", _("100,000–500,000 a year")
    UNDER_2M = "under_2m", _("500,000–2 million a year")
    OVER_2M = "over_2m", _("over 2 million a year")


class Outcome(models.Model):
    """What came of an established venture. A Swedish enskild firma is registered under its
    owner's personnummer: that is identity data, kept only as a Fernet token (as a
    participant's identity is) and never shown, only said to be recorded."""

    venture = models.OneToOneField(Venture, on_delete=models.CASCADE, related_name="outcome")
    organisation_number = models.CharField(_("organisation number"), max_length=11, blank=True)
    owner_national_id = models.TextField(_("owner's personnummer (encrypted)"), blank=True)
    registered_on = models.DateField(_("registered"), null=True, blank=True)
    participants_working = models.PositiveSmallIntegerField(
        _("participants working"), null=True, blank=True
    )
    hours_per_month = models.PositiveIntegerField(
        _("hours of work offered a month"), null=True, blank=True
    )
    revenue_band = models.CharField(
        _("revenue"), max_length=12, choices=RevenueBand.choices, blank=True
    )
    operating_6_months = models.BooleanField(_("operating after 6 months"), null=True, blank=True)
    operating_12_months = models.BooleanField(_("operating after 12 months"), null=True, blank=True)
    operating_24_months = models.BooleanField(_("operating after 24 months"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["venture"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.CheckConstraint(
                condition=Q(participants_working__isnull=True) | Q(participants_working__lte=1000),
                name="outcome_participants_working_range",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_month__isnull=True) | Q(hours_per_month__lte=100_000),
                name="outcome_hours_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.venture)

    @property
    def has_owner_national_id(self) -> bool:
        return bool(self.owner_national_id)


CANVAS_BLOCKS: tuple[tuple[str, object], ...] = (
    ("key_partners", _("key partners")),
    ("key_activities", _("key activities")),
    ("key_resources", _("key resources")),
    ("value_propositions", _("value propositions")),
    ("customer_relationships", _("customer relationships")),
    ("channels", _("channels")),
    ("customer_segments", _("customer segments")),
    ("cost_structure", _("cost structure")),
    ("revenue_streams", _("revenue streams")),
)
IMPACT_BLOCKS: tuple[tuple[str, object], ...] = (
    ("problem", _("the social problem")),
    ("target_group", _("target group")),
    ("impact_activities", _("activities")),
    ("outputs", _("outputs")),
    ("outcomes", _("outcomes for people")),
    ("indicators", _("indicators")),
)


class Canvas(models.Model):
    """One version of a venture's business model canvas and impact model. Versions are never
    edited: saving writes the next one."""

    venture = models.ForeignKey(Venture, on_delete=models.CASCADE, related_name="canvases")
    version = models.PositiveSmallIntegerField(_("version"))
    key_partners = models.TextField(_("key partners"), blank=True)
    key_activities = models.TextField(_("key activities"), blank=True)
    key_resources = models.TextField(_("key resources"), blank=True)
    value_propositions = models.TextField(_("value propositions"), blank=True)
    customer_relationships = models.TextField(_("customer relationships"), blank=True)
    channels = models.TextField(_("channels"), blank=True)
    customer_segments = models.TextField(_("customer segments"), blank=True)
    cost_structure = models.TextField(_("cost structure"), blank=True)
    revenue_streams = models.TextField(_("revenue streams"), blank=True)
    problem = models.TextField(_("the social problem"), blank=True)
    target_group = models.TextField(_("target group"), blank=True)
    impact_activities = models.TextField(_("activities"), blank=True)
    outputs = models.TextField(_("outputs"), blank=True)
    outcomes = models.TextField(_("outcomes for people"), blank=True)
    indicators = models.TextField(_("indicators"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["venture", "-version"]
        verbose_name = _("business model canvas")
        verbose_name_plural = _("business model canvases")
        constraints = [
            models.UniqueConstraint(fields=["venture", "version"], name="canvas_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.venture} v{self.version}"

    def blocks(self, which: tuple[tuple[str, object], ...]) -> list[tuple[str, object, str]]:
        return [(name, label, getattr(self, name)) for name, label in which]

    @property
    def canvas_blocks(self) -> list[tuple[str, object, str]]:
        return self.blocks(CANVAS_BLOCKS)

    @property
    def impact_blocks(self) -> list[tuple[str, object, str]]:
        return self.blocks(IMPACT_BLOCKS)


# --- Checklists, tasks and documents -----------------------------------------------------------


def _in_language(texts: dict[str, str], country: str) -> str:
    """The text in the reader's language, else the country's own, else English, else any."""
    own = "nb" if country == Country.NORWAY else "sv"
    for code in (get_language() or "", own, "en", "nb", "sv"):
        text = texts.get(code[:2], "")
        if text:
            return text
    return ""


class ChecklistTemplateItem(models.Model):
    """One item of a programme's checklist for a stage in one country. Coordinators add,
    rename, reorder and retire items; an item is never deleted, because the items ventures
    ticked point at it. The wording is content, held in each language (see
    ``checklist_defaults``)."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="checklist_items"
    )
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    position = models.PositiveIntegerField(_("position"), default=0)
    text_nb = models.CharField(_("text in Norwegian"), max_length=300, blank=True)
    text_sv = models.CharField(_("text in Swedish"), max_length=300, blank=True)
    text_en = models.CharField(_("text in English"), max_length=300, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "country", "stage", "position", "id"]
        verbose_name = _("checklist template item")
        verbose_name_plural = _("checklist template items")
        indexes = [models.Index(fields=["programme", "country", "stage", "position"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text_nb="") | ~Q(text_sv="") | ~Q(text_en=""),
                name="checklist_template_item_has_text",
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def texts(self) -> dict[str, str]:
        return {"nb": self.text_nb, "sv": self.text_sv, "en": self.text_en}

    @property
    def text(self) -> str:
        return _in_language(self.texts, self.country)

    @property
    def audit_label(self) -> str:
        return f"{self.country} {self.stage}: {self.text}"[:300]

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class ChecklistItem(models.Model):
    """A template item on one venture's list, from when the venture entered the item's stage.
    While open it reads as the template does now; when ticked it keeps the wording that was
    ticked."""

    venture = models.ForeignKey(Venture, on_delete=models.CASCADE, related_name="checklist")
    template_item = models.ForeignKey(
        ChecklistTemplateItem, on_delete=models.PROTECT, related_name="venture_items"
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    done_text_nb = models.CharField(max_length=300, blank=True)
    done_text_sv = models.CharField(max_length=300, blank=True)
    done_text_en = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["venture", "template_item__position", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.UniqueConstraint(
                fields=["venture", "template_item"], name="checklist_item_once_per_venture"
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def stage(self) -> str:
        return self.template_item.stage

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def text(self) -> str:
        if self.is_done:
            ticked = {"nb": self.done_text_nb, "sv": self.done_text_sv, "en": self.done_text_en}
            text = _in_language(ticked, self.template_item.country)
            if text:
                return text
        return self.template_item.text

    @property
    def audit_label(self) -> str:
        return f"{self.venture}: {self.text}"[:300]


class TaskKind(models.TextChoices):
    MILESTONE = "milestone", _("milestone")
    TASK = "task", _("task")


class Task(models.Model):
    """A milestone or a task of a venture, with an owner (staff, or a team member shown as the
    team shows them) and a due date."""

    venture = models.ForeignKey(Venture, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(
        _("kind"), max_length=10, choices=TaskKind.choices, default=TaskKind.TASK
    )
    milestone = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("part of milestone"),
    )
    title = models.CharField(_("what"), max_length=200)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner_member = models.ForeignKey(
        TeamMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["venture", models.F("due_on").asc(nulls_last=True), "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_user__isnull=True) | Q(owner_member__isnull=True),
                name="task_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(kind="task") | Q(milestone__isnull=True),
                name="task_milestone_not_nested",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_label(self) -> str:
        # Free text may name someone: the log says which task, not what it says.
        return f"{self.venture}: {self.kind} {self.pk}"[:300]

    @property
    def owner_label(self) -> str:
        if self.owner_member_id is not None:
            return self.owner_member.label  # type: ignore[union-attr]
        if self.owner_user_id is not None:
            return self.owner_user.shown_name  # type: ignore[union-attr]
        return ""

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.due_on is not None and self.due_on < timezone.localdate()


class PrivateStorage(Storage):
    """The ``private`` storage of ``settings.STORAGES``, looked up on every use, so that the
    folder is the one configured now (the tests point it at a temporary one)."""

    @staticmethod
    def _target() -> Storage:
        return storages["private"]

    def _open(self, name: str, mode: str = "rb") -> Any:
        return self._target().open(name, mode)

    def _save(self, name: str, content: Any) -> str:
        return self._target().save(name, content)

    def delete(self, name: str) -> None:
        self._target().delete(name)

    def exists(self, name: str) -> bool:
        return self._target().exists(name)

    def size(self, name: str) -> int:
        return self._target().size(name)

    def path(self, name: str) -> str:
        return self._target().path(name)

    def url(self, name: str | None) -> str:
        raise NoPublicAddress(name)


class NoPublicAddress(RuntimeError):
    """A private file was asked for its web address: it has none, by design. A document is
    reached only through the download view, after the permission check."""


_PRIVATE = PrivateStorage()


def private_storage() -> Storage:
    """Where attached documents live: outside the web root, served by no static handler."""
    return _PRIVATE


def _document_path(document: Document, _filename: str) -> str:
    # Neither the person's file name nor its extension reaches the disk.
    return f"ventures/{document.venture.public_id}/{document.public_id}"


class Document(models.Model):
    """A file attached to a venture, its type found from its content; handed out only by the
    download view after the permission check."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    venture = models.ForeignKey(Venture, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("what it is"), max_length=200, blank=True)
    file = models.FileField(storage=private_storage, upload_to=_document_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    file_type = models.CharField(_("type"), max_length=8)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["venture", "-uploaded_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title or self.filename

    @property
    def audit_label(self) -> str:
        # A file name may name a person: the log says which document, not what it is called.
        return f"{self.venture}: {self._meta.model_name} {self.public_id}"[:300]
