# ruff: noqa: S101  (pytest tests assert by design)
"""Tests for samvirke.lib.municipalities (pure Python, no Django needed)."""

from __future__ import annotations

import dataclasses
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samvirke.lib.municipalities import (
    MunicipalityFileError,
    MunicipalityRecord,
    parse_municipality_csv,
    parse_scb_csv,
    parse_ssb_csv,
)

DATA_DIR = Path(__file__).resolve().parents[2] / "samvirke" / "programmes" / "data"

SSB_HEADER = (
    '"code";"parentCode";"level";"name";"shortName";'
    '"presentationName";"validFrom";"validTo";"notes"'
)


def _ssb_row(code: str, name: str) -> str:
    return f'"{code}";"";"1";"{name}";"";"";"";"";""'


def _error(call: object, *args: str) -> MunicipalityFileError:
    assert callable(call)
    with pytest.raises(MunicipalityFileError) as info:
        call(*args)
    return info.value


# -------------------------------------------------------------------------------------- SSB


def test_ssb_klass_export_is_parsed_into_norwegian_records() -> None:
    text = "\n".join([SSB_HEADER, _ssb_row("5001", "Trondheim"), _ssb_row("5035", "Stjørdal")])
    assert parse_ssb_csv(text) == [
        MunicipalityRecord(country="NO", code="5001", name="Trondheim"),
        MunicipalityRecord(country="NO", code="5035", name="Stjørdal"),
    ]


def test_ssb_codes_keep_their_leading_zero() -> None:
    records = parse_ssb_csv(f"{SSB_HEADER}\n{_ssb_row('0301', 'Oslo')}\n")
    assert records[0].code == "0301"


def test_ssb_export_with_byte_order_mark_and_crlf_is_parsed() -> None:
    text = f"\ufeff{SSB_HEADER}\r\n{_ssb_row('5001', 'Trondheim')}\r\n"
    assert [r.code for r in parse_ssb_csv(text)] == ["5001"]


def test_ssb_export_with_comma_separation_is_parsed() -> None:
    text = '"code","parentCode","level","name"\n"5001","","1","Trondheim"\n'
    assert [r.name for r in parse_ssb_csv(text)] == ["Trondheim"]


def test_ssb_export_with_only_code_and_name_columns_is_parsed() -> None:
    assert parse_ssb_csv("name;code\nVerdal;5038\n") == [MunicipalityRecord("NO", "5038", "Verdal")]


def test_ssb_names_with_a_comma_inside_quotes_are_kept_whole() -> None:
    text = '"code","name"\n"5001","Trondheim, Tråante"\n'
    assert parse_ssb_csv(text)[0].name == "Trondheim, Tråante"


def test_ssb_records_have_no_county() -> None:
    assert parse_ssb_csv("code;name\n5001;Trondheim\n")[0].county == ""


def test_ssb_blank_lines_are_skipped() -> None:
    assert len(parse_ssb_csv("code;name\n\n5001;Trondheim\n\n5006;Steinkjer\n")) == 2


def test_ssb_export_without_a_name_column_is_rejected() -> None:
    error = _error(parse_ssb_csv, "code;shortName\n5001;Trondheim\n")
    assert (error.reason, error.line) == ("missing_column", 1)


def test_ssb_code_with_three_digits_is_rejected_with_its_line_number() -> None:
    error = _error(parse_ssb_csv, "code;name\n5001;Trondheim\n301;Oslo\n")
    assert (error.reason, error.line) == ("bad_code", 3)


def test_ssb_code_with_letters_is_rejected() -> None:
    assert _error(parse_ssb_csv, "code;name\n50O1;Trondheim\n").reason == "bad_code"


def test_ssb_row_without_a_name_is_rejected() -> None:
    assert _error(parse_ssb_csv, "code;name\n5001;\n").reason == "missing_name"


def test_ssb_row_with_too_few_fields_is_rejected() -> None:
    error = _error(parse_ssb_csv, "code;name;level\n5001;Trondheim\n")
    assert (error.reason, error.line) == ("bad_row", 2)


def test_ssb_duplicate_code_is_rejected_at_its_second_line() -> None:
    error = _error(parse_ssb_csv, "code;name\n5001;Trondheim\n5006;Steinkjer\n5001;Trondheim\n")
    assert (error.reason, error.line) == ("duplicate_code", 4)
    assert "line 2" in str(error)


def test_ssb_file_with_only_a_header_is_rejected_as_empty() -> None:
    assert _error(parse_ssb_csv, f"{SSB_HEADER}\n").reason == "empty"


def test_an_empty_file_is_rejected_as_empty() -> None:
    error = _error(parse_ssb_csv, "")
    assert (error.reason, error.line) == ("empty", None)


def test_a_bad_row_anywhere_means_no_records_at_all() -> None:
    text = "code;name\n5001;Trondheim\n5006;Steinkjer\n99999;Nowhere\n"
    with pytest.raises(MunicipalityFileError):
        parse_ssb_csv(text)


# -------------------------------------------------------------------------------------- SCB


def test_scb_kommunkod_list_is_parsed_into_swedish_records() -> None:
    assert parse_scb_csv("Kommunkod;Kommunnamn\n2380;Östersund\n2321;Åre\n") == [
        MunicipalityRecord(country="SE", code="2380", name="Östersund"),
        MunicipalityRecord(country="SE", code="2321", name="Åre"),
    ]


def test_scb_headers_kod_and_namn_are_accepted_case_insensitively() -> None:
    assert parse_scb_csv("KOD;namn\n0180;Stockholm\n")[0].code == "0180"


def test_scb_tab_separated_list_is_parsed() -> None:
    assert parse_scb_csv("Kommunkod\tKommunnamn\n1480\tGöteborg\n")[0].name == "Göteborg"


def test_scb_comma_separated_list_is_parsed() -> None:
    assert parse_scb_csv("Kommunkod,Kommunnamn\n2480,Umeå\n")[0].name == "Umeå"


def test_scb_county_name_column_fills_the_county() -> None:
    text = "Kommunkod;Kommunnamn;Län\n2380;Östersund;Jämtlands län\n"
    assert parse_scb_csv(text)[0].county == "Jämtlands län"


def test_scb_county_code_column_matching_the_municipality_is_accepted() -> None:
    text = "Länskod;Kommunkod;Kommunnamn\n23;2380;Östersund\n"
    assert parse_scb_csv(text) == [MunicipalityRecord("SE", "2380", "Östersund")]


def test_scb_county_code_not_matching_the_municipality_is_rejected() -> None:
    error = _error(parse_scb_csv, "Länskod;Kommunkod;Kommunnamn\n22;2380;Östersund\n")
    assert (error.reason, error.line) == ("bad_county", 2)


def test_scb_county_heading_rows_name_the_county_and_are_not_returned() -> None:
    text = "Kod;Namn\n23;Jämtlands län\n2380;Östersund\n2321;Åre\n"
    assert parse_scb_csv(text) == [
        MunicipalityRecord("SE", "2380", "Östersund", "Jämtlands län"),
        MunicipalityRecord("SE", "2321", "Åre", "Jämtlands län"),
    ]


def test_scb_code_whose_leading_zero_was_lost_is_rejected() -> None:
    error = _error(parse_scb_csv, "Kommunkod;Kommunnamn\n180;Stockholm\n")
    assert (error.reason, error.line) == ("bad_code", 2)
    assert "leading zeros" in str(error)


def test_scb_list_without_a_code_column_is_rejected() -> None:
    assert _error(parse_scb_csv, "Kommun;Län\nÖstersund;Jämtlands län\n").reason == (
        "missing_column"
    )


def test_scb_duplicate_code_is_rejected() -> None:
    error = _error(parse_scb_csv, "Kod;Namn\n2380;Östersund\n2380;Östersund\n")
    assert (error.reason, error.line) == ("duplicate_code", 3)


# --------------------------------------------------------------------------------- dispatch


def test_parse_municipality_csv_uses_the_ssb_parser_for_norway() -> None:
    assert parse_municipality_csv("code;name\n5001;Trondheim\n", "NO")[0].country == "NO"


def test_parse_municipality_csv_uses_the_scb_parser_for_sweden() -> None:
    assert parse_municipality_csv("Kod;Namn\n2380;Östersund\n", "se")[0].country == "SE"


def test_parse_municipality_csv_rejects_an_unsupported_country() -> None:
    with pytest.raises(ValueError):
        parse_municipality_csv("code;name\n0101;Helsinki\n", "FI")


# ------------------------------------------------------------------------------------ errors


def test_error_message_is_a_sentence_starting_with_the_line_number() -> None:
    message = str(_error(parse_ssb_csv, "code;name\nabcd;Trondheim\n"))
    assert message.startswith("Line 2: ")
    assert message.endswith(".")


def test_error_is_a_value_error() -> None:
    assert issubclass(MunicipalityFileError, ValueError)


def test_names_are_normalised_to_nfc() -> None:
    decomposed = "Bra\u0308cke"  # "a" followed by a combining diaeresis
    assert parse_scb_csv(f"Kod;Namn\n2305;{decomposed}\n")[0].name == "Bräcke"


def test_records_are_immutable() -> None:
    record = MunicipalityRecord("NO", "5001", "Trondheim")
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.name = "Nidaros"  # type: ignore[misc]


# ------------------------------------------------------------------------------ bundled data


def test_bundled_norwegian_file_parses_and_has_the_demo_municipalities() -> None:
    text = (DATA_DIR / "municipalities_no.csv").read_text(encoding="utf-8")
    codes = {r.code: r.name for r in parse_municipality_csv(text, "NO")}
    assert codes["5001"] == "Trondheim"
    assert codes["5035"] == "Stjørdal"
    assert codes["0301"] == "Oslo"
    assert codes["5501"] == "Tromsø"
    assert {"5006", "5031", "5034", "5037", "5038", "4601", "1804", "1103"} <= codes.keys()


def test_bundled_swedish_file_parses_and_has_the_demo_municipalities() -> None:
    text = (DATA_DIR / "municipalities_se.csv").read_text(encoding="utf-8")
    records = {r.code: r for r in parse_municipality_csv(text, "SE")}
    assert records["2380"] == MunicipalityRecord("SE", "2380", "Östersund", "Jämtlands län")
    assert records["0180"].name == "Stockholm"
    assert {"2321", "2309", "2313", "2326", "2361", "2305", "2303", "2281", "1480", "2480"} <= (
        records.keys()
    )


# -------------------------------------------------------------------------------- properties

_names = st.text(
    alphabet=st.characters(categories=["L"], exclude_characters="\ufeff"), min_size=1, max_size=20
)


@given(st.dictionaries(st.from_regex(r"[0-9]{4}", fullmatch=True), _names, min_size=1))
def test_any_well_formed_ssb_file_round_trips(municipalities: dict[str, str]) -> None:
    lines = [SSB_HEADER] + [_ssb_row(code, name) for code, name in municipalities.items()]
    records = parse_ssb_csv("\n".join(lines))
    assert [(r.code, r.name) for r in records] == [
        (code, unicodedata.normalize("NFC", name)) for code, name in municipalities.items()
    ]


@given(st.text())
def test_arbitrary_text_either_parses_or_raises_a_municipality_file_error(text: str) -> None:
    for country in ("NO", "SE"):
        try:
            records = parse_municipality_csv(text, country)
        except MunicipalityFileError as error:
            assert error.reason
            assert str(error)
        else:
            assert records
            assert all(len(r.code) == 4 and r.code.isdigit() for r in records)
