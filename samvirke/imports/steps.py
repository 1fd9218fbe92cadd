"""The import page in three steps: upload, say what each column holds, check and import.

One page does it all: the uploaded file travels between the steps signed for the scope (a
measure, a programme's catalogue) and the user, never stored; each step reads it again. The
domain gives its columns (:class:`~samvirke.imports.columns.Columns`), its check and its
writer; the writer runs in one transaction, so a refused write leaves nothing behind.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samvirke.imports.columns import Columns
from samvirke.imports.forms import ColumnsForm, read_upload
from samvirke.imports.limits import MAX_ERRORS_SHOWN
from samvirke.imports.reading import ImportFileError, Table, read_table
from samvirke.imports.rows import Report
from samvirke.web.forms import StyledFormMixin

# The file travels between the steps signed, in the form: it must fit a POST comfortably.
MAX_SIGNED_FILE_BYTES = 1024 * 1024
MAX_AGE = 60 * 60 * 24
SALT = "samvirke.measures.import"


class ImportWriteError(Exception):
    """A service refused a change; nothing of the import is kept. The message is translated."""


def pack(content: bytes, *, scope: str, user_id: int) -> str:
    """The file, signed for this scope and user, to send back with the next step."""
    data = {"m": scope, "u": user_id, "c": base64.b64encode(content).decode("ascii")}
    return signing.dumps(data, salt=SALT, compress=True)


def unpack(token: str, *, scope: str, user_id: int) -> bytes:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
        if data["m"] != scope or data["u"] != user_id:
            raise ValueError
        return base64.b64decode(data["c"], validate=True)
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise ImportFileError(_("The uploaded file is no longer kept. Upload it again.")) from exc


class UploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.content = b""
        self.table: Table | None = None

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        self.content, self.table = read_upload(upload, MAX_SIGNED_FILE_BYTES)
        return upload


@dataclass(frozen=True)
class Steps:
    """What one import's page needs: the domain's part of it."""

    template: str
    scope: str
    context: dict[str, Any]
    done_url: str
    declared: Columns
    check: Callable[[Table, list[str]], Report]
    write: Callable[[Table, list[str]], Report]  # checks again, then writes all or nothing
    conflict: str = ""  # what to say when someone changed the same data at the same time


def import_page(request: HttpRequest, user_id: int, steps: Steps) -> HttpResponse:
    """Upload, then say what each column holds, check and import: one page, three steps."""
    context = dict(steps.context)
    template = steps.template
    upload = UploadForm(request.POST if request.FILES else None, request.FILES or None)
    token = request.POST.get("upload", "") if request.method == "POST" else ""
    if request.method == "POST" and request.FILES:
        if not upload.is_valid():
            context["upload_form"] = upload
            return render(request, template, context, status=400)
        token = pack(upload.content, scope=steps.scope, user_id=user_id)
    if not token:
        context["upload_form"] = upload
        status = 400 if request.method == "POST" else 200
        return render(request, template, context, status=status)
    try:
        table = read_table(unpack(token, scope=steps.scope, user_id=user_id))
    except ImportFileError as exc:
        context["upload_form"] = UploadForm()
        context["problem"] = str(exc)
        return render(request, template, context, status=400)
    status = 200
    plan: Report | None = None
    problem = ""
    if request.method == "POST" and not request.FILES:
        form = ColumnsForm(request.POST, headers=table.headers, declared=steps.declared)
        importing = request.POST.get("action") == "import"
        if form.is_valid():
            try:
                plan = (steps.write if importing else steps.check)(table, form.columns())
            except ImportWriteError as exc:
                problem = str(exc)
            except IntegrityError:
                problem = steps.conflict
            if plan is not None and plan.ok and importing:
                for line in plan.summary():
                    messages.success(request, line)
                return redirect(steps.done_url)
        if problem or not form.is_valid() or (plan is not None and not plan.ok):
            status = 400
    else:
        form = ColumnsForm(headers=table.headers, declared=steps.declared)
    context.update(
        {
            "form": form,
            "token": token,
            "columns": form.preview(table),
            "row_count": len(table.rows),
            "plan": plan,
            "errors": plan.errors[:MAX_ERRORS_SHOWN] if plan else [],
            "problem": problem,
        }
    )
    return render(request, template, context, status=status)
