"""Driving the questionnaire import's steps as a user would: upload, keep the guesses, import."""

from __future__ import annotations

from typing import Any

from django.test import Client


def import_file(
    client: Client, url: str, data: dict[str, Any], choices: dict[str, str] | None = None
) -> Any:
    """Upload ``data`` (with its files), keep what Samvirke guessed (or ``choices``) and import.

    The reply of the upload is returned when it did not lead to the next step."""
    reply = client.post(url, data)
    if reply.status_code != 200 or not reply.context or "token" not in reply.context:
        return reply
    form = reply.context["form"]
    answer = {name: form[name].value() or "" for name in form.fields}
    answer.update(choices or {})
    return client.post(url, {"upload": reply.context["token"], "action": "import", **answer})
