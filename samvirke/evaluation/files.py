"""Which file a researcher's choice makes: its people, its bytes, its name and its type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from samvirke.accounts.permissions import Access
from samvirke.evaluation import codebook, exports, formats, selectors
from samvirke.evaluation.dataset import EvaluationDataset
from samvirke.evaluation.deidentify import Deidentifier
from samvirke.evaluation.services import ExportChoice, Renderer, Tally

MAPPING = "mapping"
OUTCOMES = "outcomes"
CSV, SAV, DTA, R = "csv", "sav", "dta", "r"
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    SAV: "application/x-spss-sav",
    DTA: "application/x-stata-dta",
    R: "application/zip",
}
SUFFIXES = {CSV: ".csv", SAV: ".sav", DTA: ".dta", R: "-R.zip"}


@dataclass(frozen=True)
class PlannedFile:
    people: int
    render: Renderer
    name: str
    content_type: str
    expected: Callable[[], int]  # how many rows the file will have (for the progress bar)


def dataset_for(access: Access, choice: ExportChoice, deid: Deidentifier) -> EvaluationDataset:
    return EvaluationDataset(
        programme=access.programme,
        participants=selectors.research_participants(access),
        deid=deid,
        layout=choice.layout,
    )


def plan(access: Access, choice: ExportChoice, *, day: dt.date) -> PlannedFile:
    stem = exports.file_name(access.programme, day, "")
    if choice.dataset == MAPPING:
        mappings = selectors.research_mappings(access, all_versions=choice.all_versions)

        def mapping(deid: Deidentifier, tally: Tally) -> Iterator[bytes]:
            return exports.mapping_file(mappings, deid=deid, tally=tally)

        return PlannedFile(
            people=mappings.values("participant").distinct().count(),
            render=mapping,
            name=f"{stem}-resource-mapping.csv",
            content_type=CONTENT_TYPES[CSV],
            expected=mappings.count,
        )

    title = _("Samvirke evaluation dataset: %(programme)s") % {"programme": access.programme.name}
    stem = f"{stem}-{choice.layout}"

    def outcomes(deid: Deidentifier, tally: Tally) -> Iterator[bytes]:
        dataset = dataset_for(access, choice, deid)
        variables, rows = dataset.variables(), dataset.rows()
        if choice.file_format == SAV:
            return formats.sav_file(variables, rows, tally, title=title)
        if choice.file_format == DTA:
            return formats.dta_file(variables, rows, tally, title=title)
        if choice.file_format == R:
            return formats.r_bundle(variables, rows, tally, title=title, stem=stem)
        return formats.csv_file(variables, rows, tally)

    return PlannedFile(
        people=selectors.research_participants(access).count(),
        render=outcomes,
        name=stem + SUFFIXES[choice.file_format],
        content_type=CONTENT_TYPES[choice.file_format],
        expected=lambda: dataset_for(access, choice, Deidentifier(salt="")).row_count(),
    )


@dataclass(frozen=True)
class Document:
    content: bytes
    name: str
    content_type: str


def codebook_document(access: Access, choice: ExportChoice, kind: str, *, day: dt.date) -> Document:
    """The codebook of the file ``choice`` would make: only names, labels and codes."""
    deid = Deidentifier(salt="", dates=choice.dates, geography=choice.geography)
    stem = exports.file_name(access.programme, day, "")
    if choice.dataset == MAPPING:
        return Document(
            exports.codebook(access.programme, day, deid).encode("utf-8"),
            f"{stem}-resource-mapping-codebook.md",
            "text/markdown; charset=utf-8",
        )
    variables = dataset_for(access, choice, deid).variables()
    stem = f"{stem}-{choice.layout}-codebook"
    if kind == "redcap":
        return Document(
            ("\ufeff" + codebook.redcap_dictionary(variables)).encode("utf-8"),
            f"{stem}-redcap-data-dictionary.csv",
            CONTENT_TYPES[CSV],
        )
    if kind == "json":
        title = _("Samvirke evaluation dataset: %(programme)s") % {
            "programme": access.programme.name
        }
        return Document(
            codebook.json_schema(variables, title=title).encode("utf-8"),
            f"{stem}.schema.json",
            "application/schema+json",
        )
    html = codebook.codebook_html(
        variables, programme=access.programme, day=day, layout=choice.layout
    )
    if kind == "pdf":
        return Document(codebook.codebook_pdf(html), f"{stem}.pdf", "application/pdf")
    return Document(html.encode("utf-8"), f"{stem}.html", "text/html; charset=utf-8")
