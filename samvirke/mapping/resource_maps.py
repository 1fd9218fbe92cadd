"""Resource maps: what the people of a programme, subproject or organisation bring and want.

Counts the current mapping of every participant in scope who has an active consent to follow-up
in the programme, and hides small cells (``suppression``). Nothing here names a person.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samvirke.mapping.models import (
    ITEM_CHOICES,
    EducationScheme,
    Interest,
    ItemKind,
    Mapping,
    Occupation,
    Skill,
)
from samvirke.mapping.profiles import (
    HIGHEST_EDUCATION,
    ITEM_TOKENS,
    NOT_RECORDED,
    OCCUPATION_GROUP,
    OPPORTUNITY,
    SKILL,
)
from samvirke.mapping.selectors import education_level_choices
from samvirke.mapping.suppression import THRESHOLD, suppress_counts, suppress_partition
from samvirke.participants.models import ConsentPurpose, Participant, active_consent_q
from samvirke.programmes.models import Organisation, Programme, Subproject


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
    interest_code: str = ""
    skill_code: str = ""


@dataclass
class ResourceMap:
    scope: Scope
    people: int
    tables: list[Table] = field(default_factory=list)
    opportunities: list[Opportunity] = field(default_factory=list)

    @property
    def too_few(self) -> bool:
        return self.people < THRESHOLD


def current_mappings(scope: Scope) -> QuerySet[Mapping]:
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
    )


def resource_map(scope: Scope) -> ResourceMap:
    """Counts from each current mapping's profile (``profiles.py``): one query, then Python."""
    counts: Counter[str] = Counter()
    people = 0
    profiles = current_mappings(scope).order_by().values_list("profile", flat=True)
    for profile in profiles.iterator(chunk_size=5000):
        people += 1
        counts.update(profile.split())
    result = ResourceMap(scope=scope, people=people)
    if result.too_few:
        return result
    by_kind: dict[str, Counter[str]] = {}
    for token, count in counts.items():
        kind, _sep, code = token.partition(":")
        by_kind.setdefault(kind, Counter())[code] = count
    skill_labels = {skill.code: skill.label for skill in Skill.objects.all()}
    result.tables = [
        Table(
            "occupations",
            _("Work experience by occupation group (ISCO-08)"),
            _cells(
                by_kind.get(OCCUPATION_GROUP, Counter()),
                {o.code: o.label for o in Occupation.objects.filter(level=1)},
            ),
        ),
        _education_table(by_kind.get(HIGHEST_EDUCATION, Counter())),
        Table("skills", _("Skills"), _cells(by_kind.get(SKILL, Counter()), skill_labels)),
        *[
            Table(
                kind,
                title,
                _cells(
                    by_kind.get(ITEM_TOKENS[kind], Counter()),
                    {value: str(label) for value, label in ITEM_CHOICES[kind].choices},
                ),
            )
            for kind, title in (
                (ItemKind.INTEREST, _("Interests")),
                (ItemKind.RESOURCE, _("Resources")),
                (ItemKind.GOAL, _("Goals")),
            )
        ],
    ]
    interest_labels = dict(Interest.choices)
    result.opportunities = [
        Opportunity(
            str(interest_labels.get(interest, interest)),
            skill_labels.get(skill, skill),
            count,
            interest_code=interest,
            skill_code=skill,
        )
        for pair, count in by_kind.get(OPPORTUNITY, Counter()).most_common()
        for interest, _sep, skill in [pair.partition("+")]
        if count >= THRESHOLD
    ]
    return result


def _cells(counts: Counter[str], labels: dict[str, str]) -> list[Cell]:
    keys = [key for key in labels if counts.get(key)]
    shown = suppress_counts([counts.get(key, 0) for key in keys])
    cells = [Cell(key, labels[key], count) for key, count in zip(keys, shown, strict=True)]
    return sorted(
        cells, key=lambda cell: (-(cell.count if cell.count is not None else 0), cell.label)
    )


def _education_table(counts: Counter[str]) -> Table:
    """Highest completed education: every person in exactly one row, so the total is guarded."""
    labels = dict(education_level_choices(EducationScheme.ISCED_2011))
    labels[NOT_RECORDED] = _("no completed education recorded")
    keys = list(labels)
    shown = suppress_partition([counts.get(key, 0) for key in keys])
    cells = [Cell(key, labels[key], count) for key, count in zip(keys, shown, strict=True)]
    return Table("education", _("Highest completed education (ISCED 2011)"), cells, partition=True)


RESOURCE_MAP_NOTE = gettext_lazy(
    "Counts people by their latest mapping, among those who have said yes to follow-up. "
    "“<5” means fewer than five people; a hidden number in the education table may also be "
    "hidden so that a small group cannot be worked out from the total."
)


def team_candidates(
    participants: QuerySet[Participant], *, interest: str, skill: str
) -> QuerySet[Participant]:
    """People who share an enterprise opportunity and have said yes to being considered for
    enterprise teams, among ``participants`` (already scoped to who the viewer may see)."""
    token = re.escape(f"{OPPORTUNITY}:{interest}+{skill}")
    return (
        open_to_team_matching(participants)
        .filter(
            mappings__is_current=True,
            mappings__profile__regex=rf"(^| ){token}( |$)",
        )
        .distinct()
        .order_by("pseudonym")
    )


def open_to_team_matching(participants: QuerySet[Participant]) -> QuerySet[Participant]:
    """The one rule for who may be considered for enterprise teams (here and by the
    team-formation engine): an active consent to being considered."""
    return participants.filter(active_consent_q(ConsentPurpose.TEAM_MATCHING))
