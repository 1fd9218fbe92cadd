# ruff: noqa: S101  (pytest tests assert by design)
"""Tests for samvirke.lib.idnumbers (pure Python, no Django needed).

Personal test numbers are never real people's: Norwegian ones are Skatteetaten Tenor
synthetic numbers (month + 80), birth dates in the future, or births in the 1860s, all
with control digits computed by ``_fnr`` below and checked by hand. Swedish ones are
the well-known test person "Tolvan Tolvansson" (19121212-1212) or use the serial
numbers 980-999 that Skatteverket keeps for test personnummer.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from samvirke.lib.idnumbers import (
    luhn_check_digit,
    normalise_national_id,
    normalise_orgnr,
    valid_fodselsnummer,
    valid_national_id,
    valid_norwegian_orgnr,
    valid_personnummer,
    valid_swedish_orgnr,
)

# --------------------------------------------------------------------------- test generators


def _mod11(digits: str, weights: tuple[int, ...]) -> int | None:
    """Independent re-implementation of the mod-11 check digit (None = no valid digit)."""
    check = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return {11: 0, 10: None}.get(check, check)


def _orgnr_no(first8: str) -> str | None:
    check = _mod11(first8, (3, 2, 7, 6, 5, 4, 3, 2))
    return None if check is None else f"{first8}{check}"


def _fnr(base9: str) -> str | None:
    k1 = _mod11(base9, (3, 7, 6, 1, 8, 9, 4, 5, 2))
    if k1 is None:
        return None
    k2 = _mod11(f"{base9}{k1}", (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))
    return None if k2 is None else f"{base9}{k1}{k2}"


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        n = int(char) * (2 if index % 2 == 0 else 1)
        total += n // 10 + n % 10
    return total % 10 == 0


def _individual_numbers(year: int) -> list[range]:
    """Individnummer ranges that give ``year`` under the official century rules."""
    if 1854 <= year <= 1899:
        return [range(500, 750)]
    if 1900 <= year <= 1939:
        return [range(500)]
    if 1940 <= year <= 1999:
        return [range(500), range(900, 1000)]
    return [range(500, 1000)]  # 2000-2039


@st.composite
def fodselsnummer(draw: st.DrawFn) -> str:
    born = draw(st.dates(min_value=date(1854, 1, 1), max_value=date(2039, 12, 31)))
    day_offset = draw(st.sampled_from([0, 40]))  # ordinary / D-number
    month_offset = draw(st.sampled_from([0, 40, 80]))  # ordinary / H-number / Tenor
    individual = draw(st.sampled_from(_individual_numbers(born.year)).flatmap(st.sampled_from))
    base9 = (
        f"{born.day + day_offset:02d}{born.month + month_offset:02d}"
        f"{born.year % 100:02d}{individual:03d}"
    )
    number = _fnr(base9)
    assume(number is not None)
    assert number is not None
    return number


@st.composite
def norwegian_orgnr(draw: st.DrawFn) -> str:
    number = _orgnr_no(draw(st.from_regex(r"[0-9]{8}", fullmatch=True)))
    assume(number is not None)
    assert number is not None
    return number


@st.composite
def swedish_orgnr(draw: st.DrawFn) -> str:
    first9 = draw(st.from_regex(r"[0-9]{2}[2-9][0-9]{6}", fullmatch=True))
    hyphen = draw(st.sampled_from(["", "-"]))
    digits = f"{first9}{luhn_check_digit(first9)}"
    return f"{digits[:6]}{hyphen}{digits[6:]}"


@st.composite
def personnummer(draw: st.DrawFn) -> str:
    today = datetime.now(tz=UTC).date()
    style = draw(st.sampled_from(["YYYYMMDDNNNN", "YYYYMMDD-NNNN", "-", "+", "YYMMDDNNNN"]))
    if style == "+":  # 100 years or older
        low, high = date(today.year - 198, 1, 1), date(today.year - 101, 12, 31)
    elif style in ("-", "YYMMDDNNNN"):  # younger than 100
        low, high = date(today.year - 98, 1, 1), today - timedelta(days=1)
    else:
        low, high = date(1800, 1, 1), date(2099, 12, 31)
    born = draw(st.dates(min_value=low, max_value=high))
    day = born.day + draw(st.sampled_from([0, 60]))  # personnummer / samordningsnummer
    serial = draw(st.integers(min_value=980, max_value=999))  # Skatteverket's test range
    first9 = f"{born.year % 100:02d}{born.month:02d}{day:02d}{serial:03d}"
    last4 = f"{serial:03d}{luhn_check_digit(first9)}"
    yymmdd = first9[:6]
    return {
        "YYYYMMDDNNNN": f"{born.year // 100}{yymmdd}{last4}",
        "YYYYMMDD-NNNN": f"{born.year // 100}{yymmdd}-{last4}",
        "-": f"{yymmdd}-{last4}",
        "+": f"{yymmdd}+{last4}",
        "YYMMDDNNNN": f"{yymmdd}{last4}",
    }[style]


def _change_one_digit(number: str, data: st.DataObject, skip_first: int = 0) -> str:
    positions = [i for i, c in enumerate(number) if c.isdigit() and i >= skip_first]
    index = data.draw(st.sampled_from(positions))
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != number[index]]))
    return number[:index] + new + number[index + 1 :]


# ------------------------------------------------------------------------- helpers themselves


def test_the_luhn_check_digit_of_a_known_number_is_computed() -> None:
    # 2*2 + 1 + 2*2 + 0 + 0 + 0 + 2*2 + 6 + 2*2 = 23, so the check digit is 7.
    assert luhn_check_digit("212000262") == 7


def test_the_test_generators_agree_with_a_hand_calculation() -> None:
    # 974760673: 9*3+7*2+4*7+7*6+6*5+0*4+6*3+7*2 = 173; 173 % 11 = 8; 11 - 8 = 3.
    assert _orgnr_no("97476067") == "974760673"
    # 01016050012: k1 sum 76 -> 76 % 11 = 10 -> 1; k2 sum 75 -> 75 % 11 = 9 -> 2.
    assert _fnr("010160500") == "01016050012"
    assert _luhn_ok("1212121212")


# ------------------------------------------------------------------ Norwegian organisation no.


def test_norwegian_orgnr_of_bronnoysundregistrene_is_valid() -> None:
    assert valid_norwegian_orgnr("974760673")


def test_norwegian_orgnr_923609016_is_valid() -> None:
    assert valid_norwegian_orgnr("923609016")


def test_norwegian_orgnr_with_spaces_is_valid() -> None:
    assert valid_norwegian_orgnr(" 974 760 673 ")


def test_norwegian_orgnr_with_wrong_check_digit_is_invalid() -> None:
    assert not valid_norwegian_orgnr("974760674")


def test_norwegian_orgnr_whose_check_digit_would_be_ten_is_invalid_with_any_last_digit() -> None:
    # 97000002: weighted sum gives remainder 1, so no check digit exists.
    assert _orgnr_no("97000002") is None
    assert not any(valid_norwegian_orgnr(f"97000002{d}") for d in range(10))


def test_norwegian_orgnr_of_wrong_length_is_invalid() -> None:
    assert not valid_norwegian_orgnr("97476067")
    assert not valid_norwegian_orgnr("9747606730")


def test_norwegian_orgnr_with_non_ascii_digits_is_invalid() -> None:
    assert not valid_norwegian_orgnr("٩٧٤٧٦٠٦٧٣")


def test_norwegian_orgnr_is_normalised_to_nine_digits() -> None:
    assert normalise_orgnr("974 760 673", "NO") == "974760673"


# -------------------------------------------------------------------- Swedish organisation no.


def test_swedish_orgnr_of_ostersunds_kommun_is_valid() -> None:
    assert valid_swedish_orgnr("212000-2627")


def test_swedish_orgnr_202100_5489_is_valid() -> None:
    assert valid_swedish_orgnr("202100-5489")


def test_swedish_orgnr_without_hyphen_is_valid() -> None:
    assert valid_swedish_orgnr("2120002627")


def test_swedish_orgnr_with_wrong_check_digit_is_invalid() -> None:
    assert not valid_swedish_orgnr("212000-2628")


def test_swedish_orgnr_with_hyphen_in_the_wrong_place_is_invalid() -> None:
    assert not valid_swedish_orgnr("21200-02627")


def test_swedish_personnummer_is_not_a_valid_orgnr_because_its_third_digit_is_below_two() -> None:
    assert luhn_check_digit("121212121") == 2  # so 121212-1212 passes Luhn ...
    assert not valid_swedish_orgnr("121212-1212")  # ... but is a person, not an entity


def test_swedish_orgnr_is_normalised_with_a_hyphen() -> None:
    assert normalise_orgnr("2120002627", "SE") == "212000-2627"


def test_normalising_an_invalid_orgnr_raises_value_error() -> None:
    with pytest.raises(ValueError):
        normalise_orgnr("974760674", "NO")


def test_normalising_an_orgnr_for_an_unsupported_country_raises_value_error() -> None:
    with pytest.raises(ValueError):
        normalise_orgnr("974760673", "DK")


# ------------------------------------------------------------------------------ fødselsnummer


def test_fodselsnummer_born_in_1860_with_individnummer_500_is_valid() -> None:
    assert valid_fodselsnummer("01016050012")


def test_fodselsnummer_born_in_2035_with_individnummer_900_is_valid() -> None:
    assert valid_fodselsnummer("31123590034")


def test_fodselsnummer_with_spaces_is_valid() -> None:
    assert valid_fodselsnummer("010160 500 12")


def test_fodselsnummer_with_wrong_first_control_digit_is_invalid() -> None:
    assert not valid_fodselsnummer("01016050022")


def test_fodselsnummer_with_wrong_second_control_digit_is_invalid() -> None:
    assert not valid_fodselsnummer("01016050013")


def test_d_number_with_day_plus_forty_is_valid() -> None:
    assert valid_fodselsnummer("41016050006")


def test_h_number_with_month_plus_forty_is_valid() -> None:
    assert valid_fodselsnummer("31523590017")


def test_tenor_synthetic_number_with_month_plus_eighty_is_valid() -> None:
    assert valid_fodselsnummer("15838540063")


def test_tenor_synthetic_d_number_is_valid() -> None:
    assert valid_fodselsnummer("55838540057")


def test_fodselsnummer_with_month_thirty_two_is_invalid() -> None:
    assert _fnr("013260500") == "01326050047"  # control digits are right ...
    assert not valid_fodselsnummer("01326050047")  # ... but there is no month 32


def test_fodselsnummer_on_29_february_2000_is_valid() -> None:
    assert valid_fodselsnummer("29820050043")  # Tenor; individnummer 500 -> 2000


def test_fodselsnummer_on_29_february_2001_is_invalid() -> None:
    assert not valid_fodselsnummer("29820150064")


def test_fodselsnummer_on_29_february_1900_is_invalid_because_1900_was_not_a_leap_year() -> None:
    assert not valid_fodselsnummer("29820000100")  # individnummer 001 -> 1900


def test_individnummer_900_to_999_means_the_1900s_for_years_40_to_99() -> None:
    assert valid_fodselsnummer("01816095006")  # Tenor, 1960


def test_individnummer_500_to_749_is_invalid_for_years_40_to_53() -> None:
    assert _fnr("010145500") == "01014550050"
    assert not valid_fodselsnummer("01014550050")


def test_individnummer_750_to_899_is_invalid_for_years_40_to_99() -> None:
    assert _fnr("010160800") == "01016080000"
    assert not valid_fodselsnummer("01016080000")


def test_fodselsnummer_of_wrong_length_is_invalid() -> None:
    assert not valid_fodselsnummer("0101605001")


def test_fodselsnummer_is_normalised_to_eleven_digits() -> None:
    assert normalise_national_id(" 010160 50012 ", "NO") == "01016050012"


# ------------------------------------------------------------------------------- personnummer


def test_personnummer_of_tolvan_tolvansson_is_valid_in_twelve_digit_form() -> None:
    assert valid_personnummer("19121212-1212")
    assert valid_personnummer("191212121212")


def test_personnummer_of_tolvan_tolvansson_is_valid_in_ten_digit_form() -> None:
    assert valid_personnummer("121212-1212")
    assert valid_personnummer("121212+1212")
    assert valid_personnummer("1212121212")


def test_personnummer_with_wrong_check_digit_is_invalid() -> None:
    assert not valid_personnummer("19121212-1213")


def test_personnummer_with_plus_in_twelve_digit_form_is_invalid() -> None:
    assert not valid_personnummer("19121212+1212")


def test_samordningsnummer_with_day_plus_sixty_is_valid() -> None:
    assert valid_personnummer("900161-9981")


def test_personnummer_with_day_thirty_two_is_invalid() -> None:
    number = f"121232-981{luhn_check_digit('121232981')}"
    assert not valid_personnummer(number)


def test_ten_digit_personnummer_on_29_february_00_with_hyphen_means_2000_and_is_valid() -> None:
    assert valid_personnummer("000229-9907")


def test_ten_digit_personnummer_on_29_february_00_with_plus_means_1900_and_is_invalid() -> None:
    assert not valid_personnummer("000229+9907")


def test_twelve_digit_personnummer_on_29_february_1900_is_invalid() -> None:
    assert not valid_personnummer("19000229-9907")


def test_samordningsnummer_on_29_february_2000_is_valid() -> None:
    assert valid_personnummer("000289-9904")


def test_ten_digit_personnummer_with_hyphen_is_normalised_to_the_last_hundred_years() -> None:
    assert normalise_national_id("121212-1212", "SE") == "20121212-1212"


def test_ten_digit_personnummer_with_plus_is_normalised_to_a_century_earlier() -> None:
    assert normalise_national_id("121212+1212", "SE") == "19121212-1212"


def test_ten_digit_personnummer_with_a_future_date_this_century_is_normalised_to_last_century() -> (
    None
):
    assert normalise_national_id("9912319986", "SE") == "19991231-9986"


def test_twelve_digit_personnummer_is_normalised_with_a_hyphen() -> None:
    assert normalise_national_id("191212121212", "SE") == "19121212-1212"


def test_normalising_an_invalid_national_id_raises_value_error() -> None:
    with pytest.raises(ValueError):
        normalise_national_id("19121212-1213", "SE")


# ----------------------------------------------------------------------------------- dispatch


def test_valid_national_id_dispatches_to_norway() -> None:
    assert valid_national_id("01016050012", "NO")
    assert not valid_national_id("19121212-1212", "NO")


def test_valid_national_id_dispatches_to_sweden() -> None:
    assert valid_national_id("19121212-1212", "SE")
    assert not valid_national_id("01016050012", "SE")


def test_country_codes_are_case_insensitive() -> None:
    assert valid_national_id("19121212-1212", "se")


def test_valid_national_id_for_an_unsupported_country_raises_value_error() -> None:
    with pytest.raises(ValueError):
        valid_national_id("01016050012", "FI")


# ---------------------------------------------------------------------------------- properties


@given(norwegian_orgnr())
def test_generated_norwegian_orgnrs_are_valid(number: str) -> None:
    assert valid_norwegian_orgnr(number)
    assert normalise_orgnr(number, "NO") == number


@given(norwegian_orgnr(), st.data())
def test_changing_one_digit_of_a_norwegian_orgnr_makes_it_invalid(
    number: str, data: st.DataObject
) -> None:
    assert not valid_norwegian_orgnr(_change_one_digit(number, data))


@given(swedish_orgnr())
def test_generated_swedish_orgnrs_are_valid(number: str) -> None:
    assert valid_swedish_orgnr(number)
    assert normalise_orgnr(number, "SE") == f"{number[:6]}-{number[-4:]}"


@given(swedish_orgnr(), st.data())
def test_changing_one_digit_of_a_swedish_orgnr_makes_it_invalid(
    number: str, data: st.DataObject
) -> None:
    assert not valid_swedish_orgnr(_change_one_digit(number, data))


@given(fodselsnummer())
def test_generated_fodselsnummer_are_valid(number: str) -> None:
    assert valid_fodselsnummer(number)
    assert normalise_national_id(number, "NO") == number


@given(fodselsnummer(), st.data())
def test_changing_one_digit_of_a_fodselsnummer_makes_it_invalid(
    number: str, data: st.DataObject
) -> None:
    assert not valid_fodselsnummer(_change_one_digit(number, data))


@given(personnummer())
def test_generated_personnummer_are_valid_and_normalise_stably(number: str) -> None:
    assert valid_personnummer(number)
    normalised = normalise_national_id(number, "SE")
    assert valid_personnummer(normalised)
    assert normalise_national_id(normalised, "SE") == normalised
    assert _luhn_ok(normalised[2:8] + normalised[9:])


@given(personnummer(), st.data())
def test_changing_one_of_the_last_ten_digits_of_a_personnummer_makes_it_invalid(
    number: str, data: st.DataObject
) -> None:
    # The century digits of the 12-digit form are outside the Luhn check, so skip them.
    skip = 2 if len(number.replace("-", "")) == 12 else 0
    assert not valid_personnummer(_change_one_digit(number, data, skip_first=skip))


@given(st.text())
def test_arbitrary_text_never_makes_a_validator_raise(text: str) -> None:
    for validator in (
        valid_norwegian_orgnr,
        valid_swedish_orgnr,
        valid_fodselsnummer,
        valid_personnummer,
    ):
        assert isinstance(validator(text), bool)
    assert isinstance(valid_national_id(text, "NO"), bool)
    assert isinstance(valid_national_id(text, "SE"), bool)


@given(st.from_regex(r"[0-9 +\-]{9,14}", fullmatch=True))
def test_digit_like_text_never_makes_a_validator_raise(text: str) -> None:
    for country in ("NO", "SE"):
        assert isinstance(valid_national_id(text, country), bool)
    assert isinstance(valid_norwegian_orgnr(text), bool)
    assert isinstance(valid_swedish_orgnr(text), bool)
