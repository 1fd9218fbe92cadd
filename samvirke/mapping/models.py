"""Resource mapping: the classifications it codes to, and each person's mapping versions.

The classification rows come from the files in ``samvirke/mapping/data/`` (see its README for
sources and licences) and are refreshed by ``samvirke import_classifications``; nothing
here is edited by hand.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
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


# --- A person's resource mapping ------------------------------------------------------------


class Skill(models.Model):
    """A skill in Samvirke's controlled vocabulary (``data/skills.csv``).

    ``isco_prefixes`` lists the ISCO-08 codes (any level) whose work counts as experience of the
    skill, so a coded work history suggests skills without anyone typing them.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label_en = models.CharField(_("label (English)"), max_length=120)
    label_nb = models.CharField(_("label (Norwegian)"), max_length=120)
    label_sv = models.CharField(_("label (Swedish)"), max_length=120)
    isco_prefixes = models.CharField(_("ISCO-08 codes"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _label_in(self, content_language(), ("en",))

    def matches_occupation(self, code: str) -> bool:
        return any(code.startswith(prefix) for prefix in self.isco_prefixes.split())


class FilledBy(models.TextChoices):
    SELF = "self", _("filled in by the participant")
    WITH_GUIDE = "guide", _("filled in with a guide")


class Interest(models.TextChoices):
    CRAFTS = "crafts", _("crafts and making things")
    COOKING = "cooking", _("cooking and food")
    GARDENING = "gardening", _("gardening and growing")
    IT = "it", _("computers and IT")
    MUSIC = "music", _("music")
    ART = "art", _("art and design")
    CARE = "care", _("caring for others")
    TRANSPORT = "transport", _("transport and driving")
    SALES = "sales", _("sales and customer service")
    WRITING = "writing", _("writing and storytelling")
    OUTDOOR = "outdoor", _("outdoor work")
    ANIMALS = "animals", _("animals")
    REPAIRS = "repairs", _("repairs and maintenance")
    BUILDING = "building", _("building and carpentry")
    CLEANING = "cleaning", _("cleaning and tidying")
    OFFICE = "office", _("office work and organising")
    SPORT = "sport", _("sport and exercise")
    CULTURE = "culture", _("culture and events")
    TEACHING = "teaching", _("teaching and guiding others")


class Resource(models.TextChoices):
    DRIVING_LICENCE = "driving_licence", _("driving licence")
    CAR = "car", _("access to a car")
    TOOLS = "tools", _("own tools or equipment")
    PREMISES = "premises", _("access to premises or land")
    NETWORK = "network", _("a network that could help")
    LANGUAGES = "languages", _("speaks several languages")


class Goal(models.TextChoices):
    WORK = "work", _("work")
    EDUCATION = "education", _("education")
    ENTERPRISE = "enterprise", _("start an enterprise")
    VOLUNTEER = "volunteer", _("volunteer")
    SOCIAL = "social", _("social contact")
    HEALTH = "health", _("better health")


class SupportNeed(models.TextChoices):
    ADAPTED_HOURS = "adapted_hours", _("adapted working hours")
    MENTOR = "mentor", _("a mentor or contact person")
    TRANSPORT = "transport", _("help with transport")
    FINANCES = "finances", _("advice on finances and benefits")
    HEALTH = "health", _("follow-up of my health")
    CONFIDENCE = "confidence", _("building confidence")
    LANGUAGE = "language", _("language support")


class ItemKind(models.TextChoices):
    INTEREST = "interest", _("interest")
    RESOURCE = "resource", _("resource")
    GOAL = "goal", _("goal")
    SUPPORT = "support", _("support need")


ITEM_CHOICES: dict[str, type[models.TextChoices]] = {
    ItemKind.INTEREST: Interest,
    ItemKind.RESOURCE: Resource,
    ItemKind.GOAL: Goal,
    ItemKind.SUPPORT: SupportNeed,
}


class LifeDomain(models.TextChoices):
    """BrukerPlan's eight life domains."""

    HOUSING = "housing", _("housing")
    FINANCES = "finances", _("finances")
    WORK = "work", _("work and activity")
    MENTAL_HEALTH = "mental_health", _("mental health")
    PHYSICAL_HEALTH = "physical_health", _("physical health")
    SUBSTANCE_USE = "substance_use", _("substance use")
    SOCIAL = "social", _("social functioning")
    NETWORK = "network", _("network")


class TrafficLight(models.TextChoices):
    GREEN = "green", _("green: going well")
    YELLOW = "yellow", _("yellow: some difficulties")
    RED = "red", _("red: serious difficulties")


class Rater(models.TextChoices):
    SELF = "self", _("the participant")
    GUIDE = "guide", _("the guide")


class Sector(models.TextChoices):
    PUBLIC = "public", _("public sector")
    PRIVATE = "private", _("private business")
    VOLUNTARY = "voluntary", _("voluntary organisation")
    SELF_EMPLOYED = "self_employed", _("own business")


class Mapping(models.Model):
    """One dated version of a participant's resource mapping; a new version never edits an old."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="mappings",
        verbose_name=_("participant"),
    )
    filled_on = models.DateField(_("date"))
    filled_by = models.CharField(_("filled in"), max_length=8, choices=FilledBy.choices)
    # The version resource maps count: the newest of the participant's (kept by the services).
    is_current = models.BooleanField(_("current version"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="mappings", verbose_name=_("skills")
    )
    other_skills = models.TextField(_("other skills"), blank=True)
    languages = models.CharField(_("languages I speak"), max_length=200, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours a week I can give"), null=True, blank=True
    )
    goals_in_own_words = models.TextField(_("my goals in my own words"), blank=True)
    support_in_own_words = models.TextField(_("support I would like"), blank=True)
    # What resource maps count, kept by the services (see profiles.py); no free text in it.
    profile = models.TextField(_("profile"), blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["participant", "-filled_on", "-created_at"]
        verbose_name = _("resource mapping")
        verbose_name_plural = _("resource mappings")
        indexes = [
            models.Index(fields=["programme", "participant", "-filled_on"]),
            models.Index(fields=["programme", "is_current"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True) | Q(hours_per_week__lte=168),
                name="mapping_hours_within_a_week",
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.filled_on}"

    def items_of(self, kind: str) -> list[str]:
        return [item.code for item in self.items.all() if item.kind == kind]

    def _labels(self, kind: str) -> str:
        return ", ".join(item.label for item in self.items.all() if item.kind == kind)

    @property
    def interest_labels(self) -> str:
        return self._labels(ItemKind.INTEREST)

    @property
    def resource_labels(self) -> str:
        return self._labels(ItemKind.RESOURCE)

    @property
    def goal_labels(self) -> str:
        return self._labels(ItemKind.GOAL)

    @property
    def support_labels(self) -> str:
        return self._labels(ItemKind.SUPPORT)


class MappingItem(models.Model):
    """An interest, resource, goal or support need ticked in one mapping version."""

    mapping = models.ForeignKey(Mapping, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    code = models.CharField(_("code"), max_length=20)

    class Meta:
        ordering = ["mapping", "kind", "code"]
        verbose_name = _("mapping item")
        verbose_name_plural = _("mapping items")
        indexes = [models.Index(fields=["kind", "code"])]
        constraints = [
            models.UniqueConstraint(fields=["mapping", "kind", "code"], name="mapping_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.code}"

    @property
    def label(self) -> str:
        choices = ITEM_CHOICES.get(self.kind)
        return str(dict(choices.choices).get(self.code, self.code)) if choices else self.code


class WorkExperience(models.Model):
    mapping = models.ForeignKey(Mapping, on_delete=models.CASCADE, related_name="work")
    title = models.CharField(_("job title"), max_length=200)
    occupation = models.ForeignKey(
        Occupation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("occupation group (ISCO-08)"),
        limit_choices_to={"level": 4},
    )
    start_year = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices, blank=True)
    paid = models.BooleanField(_("paid work"), default=True)

    class Meta:
        ordering = ["mapping", "-start_year", "id"]
        verbose_name = _("work experience")
        verbose_name_plural = _("work experience")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=models.F("start_year")),
                name="work_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> int | None:
        if self.start_year is None:
            return None
        end = self.end_year or timezone.localdate().year
        return max(end - self.start_year, 0) or 1


class Education(models.Model):
    mapping = models.ForeignKey(Mapping, on_delete=models.CASCADE, related_name="education")
    level = models.ForeignKey(
        EducationLevel,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("level (ISCED 2011)"),
        limit_choices_to={"scheme": EducationScheme.ISCED_2011},
    )
    field = models.CharField(_("field of study"), max_length=200, blank=True)
    completed = models.BooleanField(_("completed"), default=True)
    courses = models.TextField(_("courses and certificates"), blank=True)

    class Meta:
        ordering = ["mapping", "-level__code", "id"]
        verbose_name = _("education")
        verbose_name_plural = _("education")

    def __str__(self) -> str:
        return f"{self.level.code} {self.field}"


class LifeSituation(models.Model):
    """A traffic-light rating of one of BrukerPlan's life domains, by the participant or guide."""

    mapping = models.ForeignKey(Mapping, on_delete=models.CASCADE, related_name="life_situation")
    domain = models.CharField(_("life domain"), max_length=16, choices=LifeDomain.choices)
    rater = models.CharField(_("rated by"), max_length=8, choices=Rater.choices)
    level = models.CharField(_("level"), max_length=8, choices=TrafficLight.choices)

    class Meta:
        ordering = ["mapping", "rater", "domain"]
        verbose_name = _("life situation rating")
        verbose_name_plural = _("life situation ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["mapping", "domain", "rater"], name="life_situation_once_per_rater"
            )
        ]

    def __str__(self) -> str:
        return f"{self.domain}/{self.rater}: {self.level}"


# --- Importing an existing member survey ----------------------------------------------------


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("uploaded")
    IMPORTED = "imported", _("imported")


class ImportBatch(models.Model):
    """One uploaded member-survey file, kept between the column and import steps.

    ``content`` holds the raw file (personal data) only until the import is done or the upload
    goes stale; ``sha256`` and the counts stay as the record of what was imported.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    subproject = models.ForeignKey(
        "programmes.Subproject",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("subproject"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    country = models.CharField(_("country of the members"), max_length=2)
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField(blank=True)
    columns = models.JSONField(_("column mapping"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    counts = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")

    def __str__(self) -> str:
        return self.filename


class ImportedMember(models.Model):
    """Which participant an imported member id became, so that a re-import finds them again."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    source_key = models.CharField(_("member id in the source"), max_length=100)
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="+"
    )
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "source_key"]
        verbose_name = _("imported member")
        verbose_name_plural = _("imported members")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "source_key"], name="imported_member_once_per_programme"
            )
        ]

    def __str__(self) -> str:
        return self.source_key


class AggregateVersion(models.Model):
    """A number that moves whenever anything a programme's resource maps count changes: a
    mapping, a consent, who is in which subproject or organisation. The maps' expensive part
    (everyone's scopes and cells) is cached under it, so a change is seen on the next request
    in every worker, and nothing else is ever read to decide whether the cache is fresh.
    A row of its own, not a column of Programme, so no form that saves a programme can write
    an old number back."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("aggregate version")
        verbose_name_plural = _("aggregate versions")

    def __str__(self) -> str:
        return f"{self.programme_id}:{self.number}"
