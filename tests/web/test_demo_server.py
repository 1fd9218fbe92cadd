"""`make demo`: another port on request, "Serving" once it listens, no traceback for a refusal."""

from __future__ import annotations

import importlib
import logging
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from samvirke.web import gunicorn_demo
from tests.conftest import Cast, sign_in

MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"


def demo_recipe() -> str:
    text = MAKEFILE.read_text(encoding="utf-8")
    found = re.search(r"^demo:.*?\n((?:\t.*\n)+)", text, flags=re.MULTILINE)
    assert found is not None
    return found.group(1)


def test_make_demo_passes_its_port_to_the_server() -> None:
    assert "PORT=$(PORT)" in demo_recipe()
    assert re.search(r"^PORT \?= 8000$", MAKEFILE.read_text(encoding="utf-8"), re.MULTILINE)


def test_make_demo_does_not_say_serving_before_the_server_listens() -> None:
    assert "Serving" not in demo_recipe()


def test_the_demo_server_says_serving_on_its_own_port_once_ready(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    monkeypatch.setenv("PORT", "8123")
    config = importlib.reload(gunicorn_demo)
    # when
    config.when_ready(server=None)
    # then
    assert config.bind == "127.0.0.1:8123"
    assert capsys.readouterr().out == "Serving http://127.0.0.1:8123 (Ctrl-C stops)\n"
    monkeypatch.delenv("PORT")
    importlib.reload(gunicorn_demo)


@pytest.mark.django_db
def test_an_ordinary_refusal_is_logged_in_one_line_without_a_traceback(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    # given
    client = sign_in(Client(), cast.researcher)
    # when
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("audit:log", args=[cast.programme.slug]))
    # then
    assert response.status_code == 403
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert [r.getMessage() for r in refusals] == [
        f"Forbidden (Permission denied): /p/{cast.programme.slug}/audit/"
    ]
    assert refusals[0].exc_info is None
