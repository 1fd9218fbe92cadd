"""Resource maps: what the people of a programme, subproject or organisation bring and want.

Counts the current mapping of every participant in scope who has an active consent to follow-up
in the programme, and publishes the counts through ``lib.disclosure`` over every scope of the
programme at once, so that no two maps can be differenced. Nothing here names a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samvirke.accounts.models import Role
from samvirke.accounts.permissions import Access
from samvirke.lib import disclosure
from samvirke.lib.disclosure import THRESHOLD
from samvirke.mapping import aggregate_versions
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
    people: int  # exact: never shown, ``people_shown`` is
    refused: bool = False  # shown alone, this scope would let a small group be worked out
    tables: list[Table] = field(default_factory=list)
    opportunities: list[Opportunity] = field(default_factory=list)

    @property
    def too_few(self) -> bool:
        return self.people < THRESHOLD

    @property
    def people_shown(self) -> int:
        """The number of people, rounded: exact totals of two scopes could be subtracted."""
        return disclosure.rounded_total(self.people)


ROOT = "programme"


def scope_key(scope: Scope) -> tuple[object, ...] | str:
    """The scope's key in ``lib.disclosure``: the programme, a subproject, an organisation or
    both at once (the filters combine)."""
    if scope.subproject is not None and scope.organisation is not None:
        return ("both", scope.subproject.pk, scope.organisation.pk)
    if scope.subproject is not None:
        return ("subproject", scope.subproject.pk)
    if scope.organisation is not None:
        return ("organisation", scope.organisation.pk)
    return ROOT


def openable_filters(access: Access) -> tuple[QuerySet[Subproject], QuerySet[Organisation]]:
    """The subprojects and organisations whose maps a member may open: managers every one,
    contact persons those they act for, guides the subprojects they work in; a user
    representative or researcher the programme as a whole only."""
    programme = access.programme
    subprojects = Subproject.objects.filter(programme=programme).only("id", "name")
    organisations = (
        Organisation.objects.filter(partnerships__programme=programme).distinct().only("id", "name")
    )
    if access.is_manager:
        return subprojects, organisations
    subproject_ids: set[int] = set()
    organisation_ids: set[int] = set()
    if Role.CONTACT_PERSON in access.roles:
        subproject_ids |= access.subproject_ids
        organisation_ids |= access.partner_organisation_ids
    if Role.GUIDE in access.roles:
        subproject_ids |= access.guide_subproject_ids
    return (
        subprojects.filter(pk__in=subproject_ids),
        organisations.filter(pk__in=organisation_ids),
    )


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


def programme_atoms(programme: Programme) -> list[disclosure.Atom]:
    """Everyone counted in the programme's maps, grouped by the scopes they are in: every
    subproject and partner organisation anyone could filter by, whoever is asking, so that no
    two readers' maps can be differenced either. Three queries, then Python."""
    everyone = Scope(programme=programme)
    profiles = dict(current_mappings(everyone).order_by().values_list("participant_id", "profile"))
    scopes: dict[int, set[int]] = {}
    for participant_id, subproject_id in Participant.subprojects.through.objects.filter(
        participant__programme=programme, subproject__programme=programme
    ).values_list("participant_id", "subproject_id"):
        scopes.setdefault(participant_id, set()).add(subproject_id)
    organisations: dict[int, set[int]] = {}
    for participant_id, organisation_id in (
        Participant.organisations.through.objects.filter(
            participant__programme=programme, organisation__partnerships__programme=programme
        )
        .values_list("participant_id", "organisation_id")
        .distinct()
    ):
        organisations.setdefault(participant_id, set()).add(organisation_id)

    def keys(participant_id: int) -> list[object]:
        subs = scopes.get(participant_id, set())
        orgs = organisations.get(participant_id, set())
        return [
            ROOT,
            *(("subproject", s) for s in subs),
            *(("organisation", o) for o in orgs),
            *(("both", s, o) for s in subs for o in orgs),
        ]

    return disclosure.atoms_of(
        (keys(participant_id), profile.split()) for participant_id, profile in profiles.items()
    )


def programme_published(programme: Programme) -> disclosure.Published:
    """What ``lib.disclosure`` publishes for every scope of the programme at once: worked out
    once for each ``AggregateVersion`` of the programme (``aggregate_versions``), as the atoms
    it is worked out from are. It depends on nothing else: not on who asks, nor on the scope
    asked for, nor on the language (its cells are codes)."""

    def compute() -> disclosure.Published:
        atoms = programme_atoms(programme)
        all_scopes = {key for atom in atoms for key in atom.scopes} | {ROOT}
        education = [
            f"{HIGHEST_EDUCATION}:{code}"
            for code in [*dict(education_level_choices(EducationScheme.ISCED_2011)), NOT_RECORDED]
        ]
        return disclosure.protect(atoms, scopes=all_scopes, root=ROOT, partitions=[education])

    return aggregate_versions.cached(programme, "resource-map-published", compute)


def resource_map(scope: Scope) -> ResourceMap:
    """Counts from each current mapping's profile (``profiles.py``), published through
    ``lib.disclosure`` over every scope of the programme at once."""
    published = programme_published(scope.programme)
    key = scope_key(scope)
    people = published.totals.get(key, 0)
    result = ResourceMap(scope=scope, people=people, refused=key in published.refused)
    if result.too_few or result.refused:
        return result
    counts: dict[str, int | None] = published.counts.get(key, {})  # type: ignore[assignment]
    by_kind: dict[str, dict[str, int | None]] = {}
    for token, count in counts.items():
        kind, _sep, code = token.partition(":")
        by_kind.setdefault(kind, {})[code] = count
    skill_labels = {
        skill.code: skill.label
        for skill in Skill.objects.only("code", "label_nb", "label_sv", "label_en")
    }
    result.tables = [
        Table(
            "occupations",
            _("Work experience by occupation group (ISCO-08)"),
            _cells(
                by_kind.get(OCCUPATION_GROUP, {}),
                {
                    o.code: o.label
                    for o in Occupation.objects.filter(level=1).only(
                        "code", "label_nb", "label_sv", "label_en", "styrk_label"
                    )
                },
            ),
        ),
        _education_table(by_kind.get(HIGHEST_EDUCATION, {})),
        Table("skills", _("Skills"), _cells(by_kind.get(SKILL, {}), skill_labels)),
        *[
            Table(
                kind,
                title,
                _cells(
                    by_kind.get(ITEM_TOKENS[kind], {}),
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
    pairs = sorted(
        (
            (count, pair)
            for pair, count in by_kind.get(OPPORTUNITY, {}).items()
            if count is not None and count >= THRESHOLD
        ),
        key=lambda item: (-item[0], item[1]),
    )
    result.opportunities = [
        Opportunity(
            str(interest_labels.get(interest, interest)),
            skill_labels.get(skill, skill),
            count,
            interest_code=interest,
            skill_code=skill,
        )
        for count, pair in pairs
        for interest, _sep, skill in [pair.partition("+")]
    ]
    return result


def _cells(counts: dict[str, int | None], labels: dict[str, str]) -> list[Cell]:
    """Rows with people in them (a hidden count may hide any number but none)."""
    cells = [Cell(key, labels[key], counts[key]) for key in labels if counts.get(key, 0) != 0]
    return sorted(
        cells, key=lambda cell: (-(cell.count if cell.count is not None else 0), cell.label)
    )


def _education_table(counts: dict[str, int | None]) -> Table:
    """Highest completed education: every person in exactly one row, so the total is guarded."""
    labels = dict(education_level_choices(EducationScheme.ISCED_2011))
    labels[NOT_RECORDED] = _("no completed education recorded")
    cells = [Cell(key, labels[key], counts.get(key, 0)) for key in labels]
    if all(cell.hidden for cell in cells):
        cells = []  # the rows alone would say that everyone is in one of them
    return Table("education", _("Highest completed education (ISCED 2011)"), cells, partition=True)


RESOURCE_MAP_NOTE = gettext_lazy(
    "Counts people by their latest mapping, among those who have said yes to follow-up. "
    "“·” is a hidden number: fewer than five people, or a number hidden so that a small group "
    "cannot be worked out by comparing this map with another. The number of people is rounded "
    "to the nearest five."
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
