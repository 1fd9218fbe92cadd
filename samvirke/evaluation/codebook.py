"""The codebook of the evaluation dataset, made from the same variables as the file.

Four forms of one list: an HTML document and its PDF (WeasyPrint) for people, a REDCap data
dictionary (so the dataset can be loaded into a REDCap project) and a JSON Schema (so a script
can check a row), for machines. None of them holds data about anyone: only names, labels, types
and codes, so they are not export events.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samvirke.evaluation.dataset import Variable
from samvirke.lib.spreadsheets import CSV_QUOTING, neutralise
from samvirke.programmes.models import Programme

KINDS = {"integer": "integer", "number": "number", "string": "string", "date": "string"}
REDCAP_HEADER = [
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
]
REDCAP_VALIDATION = {"integer": "integer", "number": "number", "date": "date_ymd"}


def _kind_label(variable: Variable) -> str:
    if variable.values:
        return _("coded")
    return {
        "integer": _("whole number"),
        "number": _("number"),
        "string": _("text"),
        "date": _("date (YYYY-MM-DD)"),
    }[variable.kind]


def codebook_html(
    variables: Sequence[Variable], *, programme: Programme, day: dt.date, layout: str
) -> str:
    groups: dict[str, list[Variable]] = {}
    for variable in variables:
        groups.setdefault(variable.group, []).append(variable)
    headings = {
        "participant": _("The participant"),
        "exposure": _("Exposure per measure"),
        "scores": _("Questionnaire scores per time point"),
        "items": _("Questionnaire answers per item and time point"),
        "time point": _("Each time point"),
    }
    return render_to_string(
        "evaluation/codebook.html",
        {
            "programme": programme,
            "day": day,
            "layout": layout,
            "language": get_language() or "en",
            "count": len(variables),
            "groups": [
                (
                    headings.get(group, group),
                    [(variable, _kind_label(variable)) for variable in members],
                )
                for group, members in groups.items()
            ],
        },
    )


CODEBOOK_CSS = Path(__file__).parent / "static" / "evaluation" / "codebook.css"


def codebook_pdf(html: str) -> bytes:
    return write_pdf(html)


def write_pdf(html: str, stylesheet: Path = CODEBOOK_CSS) -> bytes:
    """A PDF of one of the evaluation's standalone pages (the codebook, an analysis report)."""
    from weasyprint import CSS, HTML

    # The page links its stylesheet by URL; the PDF is given the same file from disk.
    return bytes(HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(stylesheet))]))


def redcap_dictionary(variables: Sequence[Variable]) -> str:
    """A REDCap data dictionary: the first field (study_id) is the record id."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=CSV_QUOTING)
    writer.writerow(REDCAP_HEADER)
    for variable in variables:
        form = variable.group.replace(" ", "_") or "data"
        if variable.values:
            field_type = "dropdown"
            choices = " | ".join(
                f"{code}, {label.replace('|', '/')}" for code, label in variable.values
            )
            validation = ""
        else:
            field_type, choices = "text", ""
            validation = REDCAP_VALIDATION.get(variable.kind, "")
        writer.writerow(
            [
                variable.name,
                form,
                "",
                field_type,
                neutralise(str(variable.label)),
                neutralise(choices),
                "",
                validation,
                "",
                "",
                "",
                "",
                "y" if variable.name == "study_id" else "",
                "",
                "",
                "",
                "",
                "",
            ]
        )
    return buffer.getvalue()


def json_schema(variables: Sequence[Variable], *, title: str) -> str:
    """A JSON Schema (2020-12) of one row, typed as a script reading the file would type it."""
    properties: dict[str, Any] = {}
    for variable in variables:
        schema: dict[str, Any] = {
            "title": variable.label,
            "type": [KINDS[variable.kind], "null"],
        }
        if variable.kind == "date":
            schema["format"] = "date"
        if variable.values:
            schema["enum"] = [code for code, _label in variable.values] + [None]
            schema["x-value-labels"] = {str(code): label for code, label in variable.values}
        properties[variable.name] = schema
    properties["study_id"]["type"] = "string"
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "type": "object",
        "properties": properties,
        "required": [variable.name for variable in variables],
        "additionalProperties": False,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
