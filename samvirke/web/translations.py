"""Checks that the nb, sv and en catalogues are complete and current."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def catalogue_path(language: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"


def _entry_key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def doubled(text: str) -> bool:
    """A translation that is the same text twice over, as a careless merge of two catalogues
    leaves it (the English banner once read "…with real data.Demo mode: …")."""
    half = len(text) // 2
    return len(text) > 10 and len(text) % 2 == 0 and text[:half] == text[half:]


def untranslated(language: str) -> list[str]:
    """Msgids with no translation (or a fuzzy or doubled one) in the language's catalogue."""
    catalogue = polib.pofile(str(catalogue_path(language)))
    missing = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            missing.append(entry.msgid)
        elif entry.msgid_plural:
            translations = list(entry.msgstr_plural.values())
            if not translations or not all(translations) or any(map(doubled, translations)):
                missing.append(entry.msgid)
        elif not entry.msgstr or doubled(entry.msgstr):
            missing.append(entry.msgid)
    return missing


def msgids_in_source() -> set[tuple[str, str]] | None:
    """Every msgid the code and templates use, or None when GNU gettext is not installed."""
    if shutil.which("xgettext") is None or shutil.which("msguniq") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        # A copy of the source without its catalogues: makemessages writes into any `locale`
        # folder it finds under the working directory, and the real ones must stay untouched.
        source = Path(tmp) / "source"
        shutil.copytree(
            settings.BASE_DIR,
            source,
            ignore=shutil.ignore_patterns("locale", "__pycache__", "static", "data"),
        )
        cwd = os.getcwd()
        try:
            os.chdir(source)
            with override_settings(LOCALE_PATHS=[tmp]):
                call_command(
                    "makemessages",
                    locale=["en"],
                    no_location=True,
                    ignore_patterns=["tests/*"],
                    verbosity=0,
                )
        finally:
            os.chdir(cwd)
        fresh = polib.pofile(str(Path(tmp) / "en" / "LC_MESSAGES" / "django.po"))
        return {_entry_key(e) for e in fresh if not e.obsolete}


def missing_from_catalogue(language: str, source: set[tuple[str, str]]) -> list[str]:
    catalogue = polib.pofile(str(catalogue_path(language)))
    present = {_entry_key(e) for e in catalogue if not e.obsolete}
    return sorted(msgid for _ctx, msgid in source - present)
