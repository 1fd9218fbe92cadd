"""Writes for instruments: loading the instrument files into published versions.

Kept apart from ``services.py`` (the research exports) so the two halves of evaluation can be
worked on side by side; the same rules apply: keyword-only, typed, atomic, audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event
from samvirke.evaluation import instrument_files
from samvirke.evaluation.instrument_files import InstrumentFile, InstrumentFileError, text_of
from samvirke.evaluation.models import (
    Instrument,
    InstrumentOrigin,
    InstrumentVersion,
    Item,
    ResponseOption,
    VersionStatus,
)

if TYPE_CHECKING:
    from samvirke.accounts.models import User

INSTRUMENT_TYPE = "evaluation.instrument_version"


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    texts_added: list[str] = field(default_factory=list)


def licensed_dir() -> Path | None:
    value = getattr(settings, "SAMVIRKE_LICENSED_INSTRUMENTS_DIR", "")
    return Path(value) if value else None


def _create_items(
    version: InstrumentVersion, definition: dict[str, Any], texts: dict[str, Any]
) -> None:
    sets: dict[str, list[dict[str, Any]]] = definition.get("response_sets", {})
    item_texts: dict[str, Any] = texts.get("items", {})
    option_texts: dict[str, Any] = texts.get("options", {})
    for position, spec in enumerate(definition["items"], start=1):
        text = text_of(spec.get("text") or item_texts.get(spec["key"]))
        item = Item.objects.create(
            version=version,
            key=spec["key"],
            position=position,
            kind=spec["kind"],
            text_nb=text["nb"],
            text_sv=text["sv"],
            text_en=text["en"],
            reversed=bool(spec.get("reversed", False)),
            required=bool(spec.get("required", False)),
            minimum=spec.get("min"),
            maximum=spec.get("max"),
            shown_if=spec.get("shown_if", {}),
        )
        set_name = str(spec.get("options", ""))
        labels: dict[str, Any] = option_texts.get(set_name, {})
        ResponseOption.objects.bulk_create(
            ResponseOption(
                item=item,
                value=option["value"],
                position=index,
                **{
                    f"label_{code}": value
                    for code, value in text_of(
                        option.get("label") or labels.get(str(option["value"]))
                    ).items()
                },
            )
            for index, option in enumerate(sets.get(set_name, []), start=1)
        )


def _texts_complete(version: InstrumentVersion) -> bool:
    return not version.items.filter(text_nb="", text_sv="", text_en="").exists()


def _fill_local_texts(version: InstrumentVersion, texts: dict[str, Any]) -> bool:
    """Put a licensee's texts on items and options that have none; True when any were added."""
    added = False
    item_texts: dict[str, Any] = texts.get("items", {})
    option_texts: dict[str, Any] = texts.get("options", {})
    sets = {str(spec["key"]): str(spec.get("options", "")) for spec in version.definition["items"]}
    for item in version.items.prefetch_related("options"):
        if not (item.text_nb or item.text_sv or item.text_en) and item.key in item_texts:
            text = text_of(item_texts[item.key])
            item.text_nb, item.text_sv, item.text_en = text["nb"], text["sv"], text["en"]
            item.save(update_fields=["text_nb", "text_sv", "text_en"])
            added = True
        labels: dict[str, Any] = option_texts.get(sets.get(item.key, ""), {})
        for option in item.options.all():
            if option.label_nb or option.label_sv or option.label_en:
                continue
            if str(option.value) in labels:
                label = text_of(labels[str(option.value)])
                option.label_nb, option.label_sv, option.label_en = (
                    label["nb"],
                    label["sv"],
                    label["en"],
                )
                option.save(update_fields=["label_nb", "label_sv", "label_en"])
                added = True
    return added


def _publish(
    *, instrument: Instrument, loaded: InstrumentFile, texts: dict[str, Any]
) -> InstrumentVersion:
    definition = loaded.definition
    title = text_of(definition["title"])
    version = InstrumentVersion.objects.create(
        instrument=instrument,
        version=definition["version"],
        status=VersionStatus.PUBLISHED,
        title_nb=title["nb"],
        title_sv=title["sv"],
        title_en=title["en"],
        definition=definition,
        checksum=loaded.checksum,
        licence=definition["licence"],
        redistributable=definition["redistributable"],
        translation_verified=definition["translation_verified"],
        published_at=timezone.now(),
    )
    _create_items(version, definition, texts)
    version.texts_available = _texts_complete(version)
    version.save(update_fields=["texts_available"])
    return version


@transaction.atomic
def load_instruments(
    *,
    actor: User | None = None,
    folder: Path = instrument_files.BUNDLED_DIR,
    texts_folder: Path | None = None,
) -> LoadReport:
    """Create a published version for every instrument file not loaded yet; all or nothing.

    A file whose version number is already published must be byte-for-byte the same definition
    (by checksum): a published version never changes, so a correction needs a new version
    number. Loading the same files again changes nothing, apart from filling in a licensee's
    item texts that have appeared in ``texts_folder`` since.
    """
    texts_folder = texts_folder if texts_folder is not None else licensed_dir()
    report = LoadReport()
    for loaded in instrument_files.read_folder(folder):
        definition = loaded.definition
        key, number = definition["key"], definition["version"]
        label = f"{key} v{number}"
        texts = (
            {} if definition["redistributable"] else instrument_files.local_texts(texts_folder, key)
        )
        instrument, _ = Instrument.objects.get_or_create(
            key=key, programme=None, defaults={"origin": InstrumentOrigin.FILE}
        )
        existing = InstrumentVersion.objects.filter(instrument=instrument, version=number).first()
        if existing is None:
            version = _publish(instrument=instrument, loaded=loaded, texts=texts)
            report.created.append(label)
            record_event(
                action=AuditAction.CREATE,
                actor=Actor.of_user(actor),
                obj=version,
                object_type=INSTRUMENT_TYPE,
                detail={"checksum": loaded.checksum, "file": loaded.path.name},
            )
            continue
        if existing.checksum != loaded.checksum:
            raise InstrumentFileError(
                f"{loaded.path.name}: version {number} of {key} is published and its file has "
                "changed; give the corrected file a new version number"
            )
        if texts and _fill_local_texts(existing, texts):
            existing.texts_available = _texts_complete(existing)
            existing.save(update_fields=["texts_available"])
            report.texts_added.append(label)
        else:
            report.unchanged.append(label)
    return report
