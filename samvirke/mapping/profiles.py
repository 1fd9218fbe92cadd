"""A mapping version's profile: the tokens resource maps count, kept with the version.

Counting 50,000 people's skills, interests, work and education from the rows behind them
takes seconds; counting one short string per person takes a fraction of one. The profile is
written by ``services.record_mapping`` and rebuilt by ``refresh_profiles`` when the skills
vocabulary (which turns work into experience) changes.

Tokens: ``o:<ISCO major group>`` per group worked in, ``e:<ISCED level>`` or ``e:none`` for the
highest completed education, ``s:<skill>``, ``i:<interest>``, ``r:<resource>``, ``g:<goal>``,
and ``p:<interest>+<skill>`` for an interest with matching experience (an enterprise
opportunity when many share it).
"""

from __future__ import annotations

from collections.abc import Iterable

from samvirke.mapping.models import Interest, ItemKind, Mapping, Skill
from samvirke.mapping.selectors import with_parts

OCCUPATION_GROUP = "o"
HIGHEST_EDUCATION = "e"
SKILL = "s"
OPPORTUNITY = "p"
ITEM_TOKENS: dict[str, str] = {
    ItemKind.INTEREST: "i",
    ItemKind.RESOURCE: "r",
    ItemKind.GOAL: "g",
}
NOT_RECORDED = "none"

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


def build_profile(
    *,
    occupation_codes: Iterable[str],
    completed_levels: Iterable[str],
    skill_codes: Iterable[str],
    items: Iterable[tuple[str, str]],
    vocabulary: Iterable[Skill],
) -> str:
    """The profile of one mapping from its parts (no database access)."""
    occupations = set(occupation_codes)
    skills = set(skill_codes)
    experience = set(skills)
    for skill in vocabulary:  # historical models (in migrations) have no methods: no helpers
        prefixes = tuple(skill.isco_prefixes.split())
        if prefixes and any(code.startswith(prefixes) for code in occupations):
            experience.add(skill.code)
    tokens = {f"{OCCUPATION_GROUP}:{code[:1]}" for code in occupations}
    levels = sorted(completed_levels)
    tokens.add(f"{HIGHEST_EDUCATION}:{levels[-1] if levels else NOT_RECORDED}")
    tokens.update(f"{SKILL}:{code}" for code in skills)
    for kind, code in items:
        if kind in ITEM_TOKENS:
            tokens.add(f"{ITEM_TOKENS[kind]}:{code}")
        if kind == ItemKind.INTEREST:
            tokens.update(
                f"{OPPORTUNITY}:{code}+{skill}"
                for skill in INTEREST_SKILLS.get(code, ())
                if skill in experience
            )
    return " ".join(sorted(tokens))


def profile_of(mapping: Mapping, vocabulary: Iterable[Skill]) -> str:
    return build_profile(
        occupation_codes=[w.occupation.code for w in mapping.work.all() if w.occupation],
        completed_levels=[e.level.code for e in mapping.education.all() if e.completed],
        skill_codes=[skill.code for skill in mapping.skills.all()],
        items=[(item.kind, item.code) for item in mapping.items.all()],
        vocabulary=vocabulary,
    )


def refresh_profiles(mappings: Iterable[Mapping] | None = None) -> int:
    """Rebuild stored profiles; returns how many changed."""

    vocabulary = list(Skill.objects.all())
    queryset = with_parts(Mapping.objects.all()) if mappings is None else mappings
    changed = []
    for mapping in queryset:
        profile = profile_of(mapping, vocabulary)
        if profile != mapping.profile:
            mapping.profile = profile
            changed.append(mapping)
    Mapping.objects.bulk_update(changed, ["profile"], batch_size=1000)
    return len(changed)
