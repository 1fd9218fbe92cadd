"""Resource maps: what the people of a programme, subproject or organisation bring and want.

Counts the latest mapping of every participant in scope who has an active consent to follow-up
in the programme, and hides small cells (``suppression``). Nothing here names a person.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samvirke.mapping.models import (
    ITEM_CHOICES,
    Education,
    EducationScheme,
    Interest,
    ItemKind,
    Mapping,
    MappingItem,
    Occupation,
    Skill,
    WorkExperience,
)
from samvirke.mapping.selectors import education_level_choices
from samvirke.mapping.suppression import THRESHOLD, suppress_counts, suppress_partition
from samvirke.participants.models import ConsentPurpose, Participant, active_consent_q
from samvirke.programmes.models import Organisation, Programme, Subproject

# Which skills count as experience for an interest: "wants to work with food" + "has cooked".
INTEREST_SKILLS: dict[str, tuple[str, ...]] = {
    Interest.COOKING: ("cooking", "food-service", "baking"),
    Interest.GARDENING: ("gardening", "farming", "forestry"),
    Interest.CRAFTS: ("crafts", "carpentry", "sewing", "painting"),
    Interest.IT: ("it-support", "programming"),
    Interest.MUSIC: ("music",),
    Interest.ART: ("art-design", "crafts"),
    Interest.CARE: ("caring", "childcare", "peer-support"),
    Interest.TRANSPORT: ("driving", "warehouse"),
    Interest.SALES: ("selling", "customer-service", "cash-handling"),
    Interest.WRITING: ("writing", "translating"),
    Interest.OUTDOOR: ("forestry", "gardening", "farming", "building"),
    Interest.ANIMALS: ("farming",),
    Interest.REPAIRS: ("mechanics", "electrical", "carpentry"),
    Interest.BUILDING: ("building", "carpentry", "painting"),
    Interest.CLEANING: ("cleaning",),
    Interest.OFFICE: ("office", "bookkeeping"),
    Interest.CULTURE: ("event-planning", "music", "art-design"),
    Interest.TEACHING: ("teaching", "peer-support"),
}
NOT_RECORDED = "none"


@dataclass(frozen=True)
class Scope:
    programme: Programme
    subproject: Subproject | None = None
    organisation: Organisation | None = None

    @property
    def label(self) -> str:
        if self.subproject is not None:
            return self.subproject.name
        if self.organisation is not None:
            return self.organisation.name
        return str(self.programme.name)


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    count: int | None  # None: hidden

    @property
    def hidden(self) -> bool:
        return self.count is None


@dataclass
class Table:
    key: str
    title: str
    cells: list[Cell]
    partition: bool = False

    @property
    def largest(self) -> int:
        return max((cell.count or 0 for cell in self.cells), default=0)

    @property
    def chart_rows(self) -> list[dict[str, object]]:
        """Rows for the bar chart; hidden cells get no bar (a bar would give the number away)."""
        top = max(self.largest, THRESHOLD)
        return [
            {
                "cell": cell,
                "y": 28 * i,
                "width": 0 if cell.hidden else round(300 * (cell.count or 0) / top),
            }
            for i, cell in enumerate(self.cells)
        ]

    @property
    def chart_height(self) -> int:
        return 28 * len(self.cells)


@dataclass(frozen=True)
class Opportunity:
    interest: str
    skill: str
    count: int


@dataclass
class ResourceMap:
    scope: Scope
    people: int
    tables: list[Table] = field(default_factory=list)
    opportunities: list[Opportunity] = field(default_factory=list)

    @property
    def too_few(self) -> bool:
        return self.people < THRESHOLD


def current_mappings(scope: Scope) -> QuerySet[Mapping, Any]:
    """The current mapping of each participant in scope who consents to follow-up."""
    participants = Participant.objects.filter(programme=scope.programme).filter(
        active_consent_q(ConsentPurpose.FOLLOW_UP)
    )
    if scope.subproject is not None:
        participants = participants.filter(subprojects=scope.subproject)
    if scope.organisation is not None:
        participants = participants.filter(organisations=scope.organisation)
    return Mapping.objects.filter(
        programme=scope.programme, is_current=True, participant__in=participants.values("pk")
    ).values("pk")


def resource_map(scope: Scope) -> ResourceMap:
    ids = current_mappings(scope)
    result = ResourceMap(scope=scope, people=ids.count())
    if result.too_few:
        return result
    result.tables = [
        _occupation_table(ids),
        _education_table(ids, result.people),
        _skill_table(ids),
        *[_item_table(ids, kind) for kind in (ItemKind.INTEREST, ItemKind.RESOURCE, ItemKind.GOAL)],
    ]
    result.opportunities = _opportunities(ids)
    return result


def _cells(counts: Counter[str], labels: dict[str, str], *, keep_empty: bool = False) -> list[Cell]:
    keys = list(labels) if keep_empty else [key for key in labels if counts.get(key)]
    shown = suppress_counts([counts.get(key, 0) for key in keys])
    cells = [Cell(key, labels[key], count) for key, count in zip(keys, shown, strict=True)]
    return sorted(
        cells, key=lambda cell: (-(cell.count if cell.count is not None else 0), cell.label)
    )


def _occupation_table(ids: QuerySet[Mapping, Any]) -> Table:
    """People with work experience in each ISCO-08 major group."""
    rows = (
        WorkExperience.objects.filter(mapping_id__in=ids, occupation__isnull=False)
        .values_list("mapping_id", "occupation__code")
        .distinct()
    )
    people: dict[str, set[int]] = {}
    for mapping_id, code in rows.iterator(chunk_size=5000):
        people.setdefault(code[:1], set()).add(mapping_id)
    labels = {o.code: o.label for o in Occupation.objects.filter(level=1)}
    counts = Counter({code: len(members) for code, members in people.items()})
    return Table(
        "occupations", _("Work experience by occupation group (ISCO-08)"), _cells(counts, labels)
    )


def _education_table(ids: QuerySet[Mapping, Any], total: int) -> Table:
    """Highest completed education: every person in exactly one row, so the total is guarded."""
    highest = dict(
        Education.objects.filter(mapping_id__in=ids, completed=True)
        .values("mapping_id")
        .annotate(top=Max("level__code"))
        .values_list("mapping_id", "top")
    )
    counts = Counter(highest.values())
    counts[NOT_RECORDED] = total - len(highest)
    labels = dict(education_level_choices(EducationScheme.ISCED_2011))
    labels[NOT_RECORDED] = _("no completed education recorded")
    keys = list(labels)
    shown = suppress_partition([counts.get(key, 0) for key in keys])
    cells = [Cell(key, labels[key], count) for key, count in zip(keys, shown, strict=True)]
    return Table("education", _("Highest completed education (ISCED 2011)"), cells, partition=True)


def _skill_table(ids: QuerySet[Mapping, Any]) -> Table:
    through: Any = Mapping.skills.through
    rows = (
        through.objects.filter(mapping_id__in=ids)
        .values("skill__code")
        .annotate(n=Count("mapping_id"))
        .values_list("skill__code", "n")
    )
    labels = {skill.code: skill.label for skill in Skill.objects.all()}
    return Table("skills", _("Skills"), _cells(Counter(dict(rows)), labels))


def _item_table(ids: QuerySet[Mapping, Any], kind: str) -> Table:
    rows = (
        MappingItem.objects.filter(mapping_id__in=ids, kind=kind)
        .values("code")
        .annotate(n=Count("id"))
        .values_list("code", "n")
    )
    labels = {value: str(label) for value, label in ITEM_CHOICES[kind].choices}
    titles: dict[str, str] = {
        ItemKind.INTEREST: _("Interests"),
        ItemKind.RESOURCE: _("Resources"),
        ItemKind.GOAL: _("Goals"),
    }
    return Table(kind, titles[kind], _cells(Counter(dict(rows)), labels))


def _opportunities(ids: QuerySet[Mapping, Any]) -> list[Opportunity]:
    """Pairs of an interest and matching experience that at least five people share."""
    interests: dict[int, set[str]] = {}
    for mapping_id, code in (
        MappingItem.objects.filter(mapping_id__in=ids, kind=ItemKind.INTEREST)
        .values_list("mapping_id", "code")
        .iterator(chunk_size=5000)
    ):
        interests.setdefault(mapping_id, set()).add(code)
    if not interests:
        return []
    skills = list(Skill.objects.all())
    experience: dict[int, set[str]] = {}
    through = Mapping.skills.through
    for mapping_id, code in (
        through.objects.filter(mapping_id__in=ids)
        .values_list("mapping_id", "skill__code")
        .iterator(chunk_size=5000)
    ):
        experience.setdefault(mapping_id, set()).add(code)
    for mapping_id, code in (
        WorkExperience.objects.filter(mapping_id__in=ids, occupation__isnull=False)
        .values_list("mapping_id", "occupation__code")
        .iterator(chunk_size=5000)
    ):
        experience.setdefault(mapping_id, set()).update(
            skill.code for skill in skills if skill.matches_occupation(code)
        )
    pairs: Counter[tuple[str, str]] = Counter()
    for mapping_id, wanted in interests.items():
        have = experience.get(mapping_id, set())
        for interest in wanted:
            for skill in INTEREST_SKILLS.get(interest, ()):
                if skill in have:
                    pairs[(interest, skill)] += 1
    interest_labels = dict(Interest.choices)
    skill_labels = {skill.code: skill.label for skill in skills}
    return [
        Opportunity(str(interest_labels[interest]), skill_labels.get(skill, skill), count)
        for (interest, skill), count in pairs.most_common()
        if count >= THRESHOLD
    ]


RESOURCE_MAP_NOTE = gettext_lazy(
    "Counts people by their latest mapping, among those who have said yes to follow-up. "
    "“<5” means fewer than five people; a hidden number in the education table may also be "
    "hidden so that a small group cannot be worked out from the total."
)
