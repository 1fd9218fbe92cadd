"""Instruments that staff compose in Samvirke: items of a few kinds, sum or mean scoring.

A composed instrument is written as the same definition an instrument file holds and is
validated against the same schema, so scoring, the questionnaire pages, the exports and the
codebook treat it like any other. Each save publishes a new version; a published version never
changes, so answers and scores always point at the wording they were given under.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event
from samvirke.evaluation import instrument_files
from samvirke.evaluation.instrument_services import INSTRUMENT_TYPE, _create_items
from samvirke.evaluation.models import (
    Instrument,
    InstrumentOrigin,
    InstrumentVersion,
    VersionStatus,
)

if TYPE_CHECKING:
    from samvirke.programmes.models import Programme

LIKERT5, YES_NO, NUMBER, TEXT = "likert5", "yes_no", "number", "text"
# The most characters a free-text answer may have, when the composer gives none (and at most).
TEXT_LENGTH, TEXT_LENGTH_MAX = 500, 2000
UNSCORED = (NUMBER, TEXT)
SUM, MEAN, NO_SCORE = "sum", "mean", ""

RESPONSE_SETS: dict[str, list[dict[str, Any]]] = {
    LIKERT5: [
        {
            "value": 1,
            "label": {"nb": "Helt uenig", "sv": "Instämmer inte alls", "en": "Strongly disagree"},
        },
        {
            "value": 2,
            "label": {"nb": "Litt uenig", "sv": "Instämmer delvis inte", "en": "Disagree"},
        },
        {
            "value": 3,
            "label": {
                "nb": "Verken enig eller uenig",
                "sv": "Varken eller",
                "en": "Neither agree nor disagree",
            },
        },
        {"value": 4, "label": {"nb": "Litt enig", "sv": "Instämmer delvis", "en": "Agree"}},
        {"value": 5, "label": {"nb": "Helt enig", "sv": "Instämmer helt", "en": "Strongly agree"}},
    ],
    YES_NO: [
        {"value": 0, "label": {"nb": "Nei", "sv": "Nej", "en": "No"}},
        {"value": 1, "label": {"nb": "Ja", "sv": "Ja", "en": "Yes"}},
    ],
}


class InstrumentBuildError(ValueError):
    """A composition the rules refuse; ``code`` says why, for a translated message."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class ItemSpec:
    kind: str
    text_nb: str
    text_sv: str = ""
    text_en: str = ""
    minimum: int | None = None
    maximum: int | None = None
    required: bool = False


def _range(items: list[ItemSpec], method: str) -> tuple[float, float]:
    lows, highs = [], []
    for item in items:
        values = [option["value"] for option in RESPONSE_SETS[item.kind]]
        lows.append(min(values))
        highs.append(max(values))
    if method == MEAN:
        return float(min(lows)), float(max(highs))
    return float(sum(lows)), float(sum(highs))


def build_definition(
    *, key: str, version: int, titles: dict[str, str], items: list[ItemSpec], scoring: str
) -> dict[str, Any]:
    """The instrument file a composition amounts to."""
    specs: list[dict[str, Any]] = []
    for number, item in enumerate(items, start=1):
        spec: dict[str, Any] = {
            "key": f"{key}_{number}",
            "kind": item.kind if item.kind in UNSCORED else "choice",
            "text": {"nb": item.text_nb, "sv": item.text_sv, "en": item.text_en},
            "required": item.required,
        }
        if item.kind == NUMBER:
            if item.minimum is not None:
                spec["min"] = item.minimum
            if item.maximum is not None:
                spec["max"] = item.maximum
        elif item.kind == TEXT:
            # For a free-text item, "max" is the most characters of the answer.
            spec["max"] = min(item.maximum or TEXT_LENGTH, TEXT_LENGTH_MAX)
        else:
            spec["options"] = item.kind
        specs.append(spec)
    scored = [item for item in items if item.kind not in UNSCORED]
    scales: list[dict[str, Any]] = []
    if scoring in (SUM, MEAN) and scored:
        scales.append(
            {
                "key": "total",
                "label": {"nb": "Totalskåre", "sv": "Totalpoäng", "en": "Total score"},
                "items": [
                    s["key"] for s, i in zip(specs, items, strict=True) if i.kind not in UNSCORED
                ],
                "method": scoring,
                "missing": {"max_missing": 0, "prorate": False},
                "range": list(_range(scored, scoring)),
            }
        )
    kinds = {item.kind for item in items if item.kind not in UNSCORED}
    return {
        "key": key,
        "version": version,
        "title": titles,
        "source": {"reference": "Composed by the programme's staff in Samvirke."},
        "licence": "The programme's own",
        "redistributable": True,
        # The programme wrote every language itself: there is no official wording to check.
        "translation_verified": True,
        "response_sets": {kind: RESPONSE_SETS[kind] for kind in sorted(kinds)},
        "items": specs,
        "scales": scales,
    }


def latest_version(programme: Programme, key: str) -> InstrumentVersion | None:
    return (
        InstrumentVersion.objects.filter(
            instrument__programme=programme, instrument__key=key, instrument__origin="staff"
        )
        .order_by("-version")
        .first()
    )


@transaction.atomic
def publish_instrument(
    *,
    actor: Actor,
    programme: Programme,
    key: str,
    titles: dict[str, str],
    items: list[ItemSpec],
    scoring: str,
) -> InstrumentVersion:
    """Publish the next version of one of the programme's own instruments (the first creates
    it). The key of a built-in instrument is refused: exports name columns by key."""
    if not items:
        raise InstrumentBuildError("no_items")
    if Instrument.objects.filter(key=key, programme__isnull=True).exists():
        raise InstrumentBuildError("builtin_key")
    instrument, _created = Instrument.objects.get_or_create(
        key=key,
        programme=programme,
        defaults={"origin": InstrumentOrigin.STAFF, "created_by": actor.user},
    )
    if instrument.origin != InstrumentOrigin.STAFF:
        raise InstrumentBuildError("builtin_key")
    number = (instrument.versions.aggregate(n=Max("version"))["n"] or 0) + 1
    definition = build_definition(
        key=key, version=number, titles=titles, items=items, scoring=scoring
    )
    found = instrument_files.problems(definition)
    if found:
        raise InstrumentBuildError("invalid", "; ".join(found))
    version = InstrumentVersion.objects.create(
        instrument=instrument,
        version=number,
        status=VersionStatus.PUBLISHED,
        title_nb=titles.get("nb", ""),
        title_sv=titles.get("sv", ""),
        title_en=titles.get("en", ""),
        definition=definition,
        checksum=instrument_files.checksum(definition),
        licence=definition["licence"],
        redistributable=True,
        translation_verified=True,
        published_at=timezone.now(),
    )
    _create_items(version, definition, {})
    record_event(
        action=AuditAction.CREATE,
        actor=actor,
        programme=programme,
        object_type=INSTRUMENT_TYPE,
        object_id=str(version.pk),
        object_label=str(version),
        detail={"checksum": version.checksum, "items": len(items), "scoring": scoring},
    )
    return version


def specs_of(version: InstrumentVersion) -> list[ItemSpec]:
    """The composition of a version, to start the next one from."""
    sets = {
        str(spec["key"]): spec.get("options", spec["kind"]) for spec in version.definition["items"]
    }
    return [
        ItemSpec(
            kind=str(sets.get(item.key, NUMBER)),
            text_nb=item.text_nb,
            text_sv=item.text_sv,
            text_en=item.text_en,
            minimum=item.minimum,
            maximum=item.maximum,
            required=item.required,
        )
        for item in version.items.order_by("position")
    ]
