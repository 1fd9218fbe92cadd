"""``label_of`` gives a choice's label in the language of the moment, kept per language."""

from __future__ import annotations

from django.utils import translation

from samvirke.lib.choices import label_of
from samvirke.measures.models import MeasureKind


def test_a_label_follows_the_language_even_after_it_was_kept_in_another() -> None:
    shown = []
    for language in ("nb", "sv", "nb", "en"):
        with translation.override(language):
            shown.append(label_of(MeasureKind, "work_training"))
    assert shown == ["arbeidstrening", "arbetsträning", "arbeidstrening", "work training"]


def test_an_unknown_value_is_shown_as_itself() -> None:
    with translation.override("nb"):
        assert label_of(MeasureKind, "no_such_kind") == "no_such_kind"
        assert label_of(MeasureKind, ["not", "hashable"]) == "['not', 'hashable']"
