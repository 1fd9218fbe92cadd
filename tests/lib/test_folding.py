"""Folding and the nb ↔ sv synonyms behind the service-map and catalogue search."""

from __future__ import annotations

from samvirke.lib.folding import FOLD_FROM, FOLD_TO, alternatives, fold


def test_folding_maps_each_letter_to_one_letter_as_postgresqls_translate_needs() -> None:
    assert len(FOLD_FROM) == len(FOLD_TO)


def test_nordic_letters_fold_to_their_base_letter() -> None:
    assert fold("Arbetsträning Østersund Ærlig Åre") == "arbetstraning ostersund arlig are"


def test_a_domain_word_finds_its_synonym_in_the_other_language_both_ways() -> None:
    assert "arbetstraning" in alternatives("arbeidstrening")
    assert "arbeidstrening" in alternatives("Arbetsträning")


def test_a_compound_keeps_its_ending_when_the_first_part_is_a_domain_word() -> None:
    assert "arbeidstreningsplass" in alternatives("arbetsträningsplass")
