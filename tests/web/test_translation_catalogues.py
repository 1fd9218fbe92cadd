"""The catalogues the build compiles: every string translated once, never twice over."""

from __future__ import annotations

import pytest

from samvirke.web.translations import doubled, untranslated


def test_a_translation_repeated_by_a_merge_is_caught() -> None:
    banner = "Demo mode: never run like this with real data."
    assert doubled(banner + banner)
    assert not doubled(banner)


@pytest.mark.parametrize("language", ["nb", "sv", "en"])
def test_no_catalogue_holds_a_missing_or_doubled_translation(language: str) -> None:
    assert untranslated(language) == []
