"""Reads for resource mapping.

Classifications are public reference data with no permission scope; a person's mapping is read
only for a participant that ``participants.selectors.participants_visible_to`` already scoped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Length

from samvirke.lib.fuzzy import MAX_QUERY_LENGTH, normalise, title_similarity, words
from samvirke.mapping.models import (
    Education,
    EducationLevel,
    Mapping,
    Occupation,
    OccupationTitle,
    WorkExperience,
    content_language,
)

if TYPE_CHECKING:
    from samvirke.participants.models import Participant

MIN_QUERY_LENGTH = 2
# The most titles scored for one query; the most promising come first (see _candidates).
CANDIDATE_LIMIT = 300
_MAX_WORDS = 5
_PREFIX_LENGTH = 4

_EXACT_BONUS = 0.3
_PREFIX_BONUS = 0.1
_PREFERRED_BONUS = 0.05
_OTHER_LANGUAGE_FACTOR = 0.9


@dataclass(frozen=True)
class GroupLabel:
    code: str
    label: str


@dataclass(frozen=True)
class OccupationMatch:
    """An ISCO-08 unit group that matches what someone typed.

    ``label`` is in the language asked for (see ``Occupation.label_for``). ``matched_title`` is the
    ESCO preferred title of the occupation whose title matched best — never an alternative
    title, which may be one of ESCO's hidden labels. ``styrk_label`` and ``ssyk_groups`` name the
    group in the Norwegian and Swedish classifications.
    """

    code: str
    label: str
    matched_title: str
    score: float
    styrk_label: str = ""
    ssyk_groups: tuple[GroupLabel, ...] = ()


@dataclass(frozen=True)
class _Candidate:
    occupation_id: int
    code: str
    esco_uri: str
    language: str
    title: str
    search_text: str
    is_preferred: bool


def search_occupations(query: str, language: str, limit: int = 10) -> list[OccupationMatch]:
    """The occupation groups whose titles best match ``query``, best first.

    Titles in every language are searched, whatever the interface language: a Swedish-speaking
    guide in Stjørdal codes Norwegian job titles. Titles in ``language`` score a little higher
    than the others, and the labels are in ``language``. Typos are forgiven: "programerer" finds
    software developers. Never raises on odd input; a query shorter than two characters matches
    nothing.
    """
    text = normalise(query[: MAX_QUERY_LENGTH * 2])[:MAX_QUERY_LENGTH]
    if len(text) < MIN_QUERY_LENGTH or limit < 1:
        return []
    language = content_language(language)

    best: dict[int, tuple[float, _Candidate]] = {}
    for candidate in _candidates(text, language):
        score = _score(text, candidate, language)
        if candidate.occupation_id not in best or score > best[candidate.occupation_id][0]:
            best[candidate.occupation_id] = (score, candidate)
    ranked = sorted(best.values(), key=lambda item: (-item[0], item[1].code))[:limit]
    if not ranked:
        return []

    occupations = Occupation.objects.prefetch_related("ssyk_groups").in_bulk(
        [candidate.occupation_id for _score, candidate in ranked]
    )
    preferred = _preferred_titles([candidate for _score, candidate in ranked])
    matches = []
    for score, candidate in ranked:
        occupation = occupations[candidate.occupation_id]
        matches.append(
            OccupationMatch(
                code=occupation.code,
                label=occupation.label_for(language),
                matched_title=preferred.get((candidate.language, candidate.esco_uri), ""),
                score=round(score, 3),
                styrk_label=occupation.styrk_label,
                ssyk_groups=tuple(
                    GroupLabel(group.code, group.label_sv)
                    for group in sorted(occupation.ssyk_groups.all(), key=lambda g: g.code)
                ),
            )
        )
    return matches


def _needles(text: str) -> tuple[list[str], list[str]]:
    """What a title must contain to be a candidate, most telling first; and short words.

    The whole query, then each word of three letters or more, then each word's first four
    letters (so that a typo after them still finds the title). Two-letter words ("it", "hr")
    must start a word of the title.
    """
    query_words = sorted(set(words(text)), key=lambda word: (-len(word), word))[:_MAX_WORDS]
    contained = [text] if len(text) >= 3 else []
    contained += [word for word in query_words if len(word) >= 3]
    contained += [word[:_PREFIX_LENGTH] for word in query_words if len(word) > _PREFIX_LENGTH]
    short = [word for word in query_words if len(word) == 2]
    return list(dict.fromkeys(contained)), short


def _candidates(text: str, language: str) -> list[_Candidate]:
    contained, short = _needles(text)
    conditions = [Q(search_text__contains=needle) for needle in contained]
    conditions += [
        Q(search_text__startswith=word) | Q(search_text__contains=f" {word}") for word in short
    ]
    if not conditions:
        return []
    matches_any = Q()
    for condition in conditions:
        matches_any |= condition
    rows = (
        OccupationTitle.objects.filter(matches_any)
        .exclude(occupation=None)
        .annotate(
            needle_rank=Case(
                *(When(condition, then=Value(rank)) for rank, condition in enumerate(conditions)),
                default=Value(len(conditions)),
                output_field=IntegerField(),
            ),
            language_rank=Case(
                When(language=language, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("needle_rank", "language_rank", "-is_preferred", Length("search_text"), "pk")
        .values_list(
            "occupation_id",
            "occupation__code",
            "esco_uri",
            "language",
            "title",
            "search_text",
            "is_preferred",
        )[:CANDIDATE_LIMIT]
    )
    return [_Candidate(*row) for row in rows]


def _score(text: str, candidate: _Candidate, language: str) -> float:
    score = title_similarity(text, candidate.search_text)
    if candidate.search_text == text:
        score += _EXACT_BONUS
    elif candidate.search_text.startswith(text):
        score += _PREFIX_BONUS
    if candidate.is_preferred:
        score += _PREFERRED_BONUS
    if candidate.language != language:
        score *= _OTHER_LANGUAGE_FACTOR
    return score


def _preferred_titles(candidates: list[_Candidate]) -> dict[tuple[str, str], str]:
    """The displayable (preferred) ESCO title for each candidate's occupation and language."""
    found = {(c.language, c.esco_uri): c.title for c in candidates if c.is_preferred}
    missing = [c for c in candidates if (c.language, c.esco_uri) not in found]
    if missing:
        rows = OccupationTitle.objects.filter(
            is_preferred=True,
            esco_uri__in={c.esco_uri for c in missing},
            language__in={c.language for c in missing},
        ).values_list("language", "esco_uri", "title")
        found.update({(row_language, uri): title for row_language, uri, title in rows})
    return found


def education_levels(scheme: str) -> QuerySet[EducationLevel]:
    """The levels of one education scheme (``isced2011``, ``nus2000``, ``sun2020``)."""
    return EducationLevel.objects.filter(scheme=scheme).order_by("code")


def education_level_choices(scheme: str, *, level: int | None = None) -> list[tuple[str, str]]:
    """``(code, label)`` pairs for a form field, labels in the active language."""
    levels = education_levels(scheme)
    if level is not None:
        levels = levels.filter(level=level)
    return [(education_level.code, education_level.label) for education_level in levels]


def with_parts(mappings: QuerySet[Mapping]) -> QuerySet[Mapping]:
    """Mapping versions with everything they hold, in a fixed number of queries."""
    return mappings.prefetch_related(
        "skills",
        "items",
        "life_situation",
        Prefetch("work", queryset=WorkExperience.objects.select_related("occupation")),
        Prefetch("education", queryset=Education.objects.select_related("level")),
    )


def mappings_of(participant: Participant) -> QuerySet[Mapping]:
    """A participant's mapping versions, newest first, with everything a page shows."""
    return with_parts(
        Mapping.objects.filter(participant=participant).select_related("recorded_by")
    ).order_by("-filled_on", "-created_at")


def mapping_version(participant: Participant, public_id: str) -> Mapping | None:
    return mappings_of(participant).filter(public_id=public_id).first()
