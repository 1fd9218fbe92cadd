"""Validation and normalisation of Norwegian and Swedish identity numbers.

Covers organisation numbers (Norwegian *organisasjonsnummer*, Swedish
*organisationsnummer*) and personal identity numbers (Norwegian *fødselsnummer*,
D-number, H-number and Tenor synthetic test numbers; Swedish *personnummer* and
*samordningsnummer*).

All ``valid_*`` functions return ``False`` for any malformed input and never raise.
All ``normalise_*`` functions raise :class:`ValueError` when the input is not valid.

This module is pure Python and does not depend on Django.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

__all__ = [
    "luhn_check_digit",
    "normalise_national_id",
    "normalise_orgnr",
    "valid_fodselsnummer",
    "valid_national_id",
    "valid_norwegian_orgnr",
    "valid_personnummer",
    "valid_swedish_orgnr",
]

SUPPORTED_COUNTRIES: frozenset[str] = frozenset({"NO", "SE"})

_ORGNR_NO_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
_FNR_K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_FNR_K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)

# ``[0-9]`` rather than ``\d``: ``\d`` also matches non-ASCII digits such as "٣".
_NO_ORGNR_RE = re.compile(r"[0-9]{9}")
_SE_ORGNR_RE = re.compile(r"([0-9]{6})-?([0-9]{4})")
_FNR_RE = re.compile(r"[0-9]{11}")
_PNR_SHORT_RE = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{2})([-+]?)([0-9]{4})")
_PNR_LONG_RE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})(-?)([0-9]{4})")

_SAMORDNING_DAY_OFFSET = 60
_D_NUMBER_DAY_OFFSET = 40
_H_NUMBER_MONTH_OFFSET = 40
_TENOR_MONTH_OFFSET = 80


def _remove_whitespace(value: str) -> str:
    return "".join(value.split())


def _mod11_check_digit(digits: str, weights: tuple[int, ...]) -> int | None:
    """Return the mod-11 check digit for ``digits``, or ``None`` if none exists (remainder 1)."""
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=True))
    check = (11 - total % 11) % 11
    return None if check == 10 else check


def luhn_check_digit(digits: str) -> int:
    """Return the Luhn (mod-10) check digit to append to ``digits`` (ASCII digits only)."""
    total = 0
    # Double every second digit, starting with the rightmost of the payload.
    for index, char in enumerate(reversed(digits)):
        n = int(char)
        if index % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return (10 - total % 10) % 10


def _luhn_valid(digits: str) -> bool:
    return luhn_check_digit(digits[:-1]) == int(digits[-1])


def _is_real_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------- organisation numbers


def valid_norwegian_orgnr(value: str) -> bool:
    """Return whether ``value`` is a valid Norwegian organisation number.

    Nine digits, the last being a mod-11 check digit with weights 3, 2, 7, 6, 5, 4, 3, 2.
    Spaces (e.g. ``"974 760 673"``) are ignored.
    """
    digits = _remove_whitespace(value)
    if not _NO_ORGNR_RE.fullmatch(digits):
        return False
    return _mod11_check_digit(digits[:8], _ORGNR_NO_WEIGHTS) == int(digits[8])


def _swedish_orgnr_digits(value: str) -> str | None:
    match = _SE_ORGNR_RE.fullmatch(value.strip())
    if match is None:
        return None
    digits = match.group(1) + match.group(2)
    # A legal entity's "month" digits are >= 20, so it never clashes with a personnummer.
    if int(digits[2]) < 2 or not _luhn_valid(digits):
        return None
    return digits


def valid_swedish_orgnr(value: str) -> bool:
    """Return whether ``value`` is a valid Swedish organisationsnummer for a legal entity.

    Ten digits, optionally with a hyphen after the sixth (``212000-2627``), a Luhn check
    digit over all ten digits, and a third digit of at least 2.
    """
    return _swedish_orgnr_digits(value) is not None


def normalise_orgnr(value: str, country: str) -> str:
    """Return the canonical form of an organisation number.

    ``"NO"``: nine digits without spaces. ``"SE"``: ``NNNNNN-NNNN``.
    Raises :class:`ValueError` if the number is not valid or the country is unsupported.
    """
    country = _country(country)
    if country == "NO":
        if not valid_norwegian_orgnr(value):
            raise ValueError("This is not a valid Norwegian organisation number.")
        return _remove_whitespace(value)
    digits = _swedish_orgnr_digits(value)
    if digits is None:
        raise ValueError("This is not a valid Swedish organisation number.")
    return f"{digits[:6]}-{digits[6:]}"


# ------------------------------------------------------------------------------- fødselsnummer


def _fodselsnummer_century(year_2: int, individual: int) -> int | None:
    """Return the century (1800, 1900, 2000) from the individnummer, per Skatteetaten's rules."""
    if individual <= 499:
        return 1900
    if individual <= 749 and year_2 >= 54:
        return 1800
    if year_2 <= 39:
        return 2000
    if individual >= 900:
        return 1900
    return None


def _normalise_fodselsnummer(value: str) -> str | None:
    digits = _remove_whitespace(value)
    if not _FNR_RE.fullmatch(digits):
        return None
    if _mod11_check_digit(digits[:9], _FNR_K1_WEIGHTS) != int(digits[9]):
        return None
    if _mod11_check_digit(digits[:10], _FNR_K2_WEIGHTS) != int(digits[10]):
        return None

    day, month, year_2 = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    if day > _D_NUMBER_DAY_OFFSET:  # D-number: first digit + 4
        day -= _D_NUMBER_DAY_OFFSET
    if month > _TENOR_MONTH_OFFSET:  # Skatteetaten Tenor synthetic test number
        month -= _TENOR_MONTH_OFFSET
    elif month > _H_NUMBER_MONTH_OFFSET:  # H-number (also NAV's synthetic numbers)
        month -= _H_NUMBER_MONTH_OFFSET

    century = _fodselsnummer_century(year_2, int(digits[6:9]))
    if century is None or not _is_real_date(century + year_2, month, day):
        return None
    return digits


def valid_fodselsnummer(value: str) -> bool:
    """Return whether ``value`` is a valid Norwegian fødselsnummer or D-number.

    Eleven digits ``DDMMYYIIIKK``: two mod-11 control digits and a real date of birth,
    where the century follows from the individnummer ``III``. Also accepted: D-numbers
    (day + 40), H-numbers (month + 40) and Skatteetaten Tenor synthetic test numbers
    (month + 80). Spaces are ignored.
    """
    return _normalise_fodselsnummer(value) is not None


# ------------------------------------------------------------------------------- personnummer


def _personnummer_12(value: str, today: date | None = None) -> str | None:
    """Return ``YYYYMMDDNNNN`` for a valid personnummer/samordningsnummer, else ``None``."""
    value = value.strip()
    long_match = _PNR_LONG_RE.fullmatch(value)
    if long_match is not None:
        year_s, month_s, day_s, _sep, tail = long_match.groups()
        year = int(year_s)
    else:
        short_match = _PNR_SHORT_RE.fullmatch(value)
        if short_match is None:
            return None
        year_s, month_s, day_s, sep, tail = short_match.groups()
        year = _personnummer_year(
            int(year_s), int(month_s), int(day_s), centenarian=sep == "+", today=today
        )

    ten_digits = f"{year % 100:02d}{month_s}{day_s}{tail}"
    if not _luhn_valid(ten_digits):
        return None
    day = int(day_s)
    if day > _SAMORDNING_DAY_OFFSET:
        day -= _SAMORDNING_DAY_OFFSET
    if year < 1800 or not _is_real_date(year, int(month_s), day):
        return None
    return f"{year:04d}{month_s}{day_s}{tail}"


def _personnummer_year(
    year_2: int, month: int, day: int, *, centenarian: bool, today: date | None
) -> int:
    """Infer the full year for a 10-digit number: ``-`` means under 100, ``+`` 100 or older."""
    today = today or datetime.now(tz=UTC).date()
    if day > _SAMORDNING_DAY_OFFSET:
        day -= _SAMORDNING_DAY_OFFSET
    year = today.year - today.year % 100 + year_2
    # Compare as tuples: the date itself may not exist (that is checked later).
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    if centenarian:
        year -= 100
    return year


def valid_personnummer(value: str) -> bool:
    """Return whether ``value`` is a valid Swedish personnummer or samordningsnummer.

    Accepted formats: ``YYMMDD-NNNN``, ``YYMMDD+NNNN`` (100 years or older),
    ``YYMMDDNNNN``, ``YYYYMMDD-NNNN`` and ``YYYYMMDDNNNN``. The Luhn check digit is
    computed over the 10-digit form; the date must exist (samordningsnummer: day + 60).
    """
    return _personnummer_12(value) is not None


# ------------------------------------------------------------------------------------ dispatch


def _country(country: str) -> str:
    code = country.strip().upper()
    if code not in SUPPORTED_COUNTRIES:
        raise ValueError(f"Unsupported country {country!r}; expected 'NO' or 'SE'.")
    return code


def valid_national_id(value: str, country: str) -> bool:
    """Return whether ``value`` is a valid personal identity number for ``country``.

    ``"NO"``: fødselsnummer/D-number (see :func:`valid_fodselsnummer`).
    ``"SE"``: personnummer/samordningsnummer (see :func:`valid_personnummer`).
    Raises :class:`ValueError` only for an unsupported country.
    """
    if _country(country) == "NO":
        return valid_fodselsnummer(value)
    return valid_personnummer(value)


def normalise_national_id(value: str, country: str) -> str:
    """Return the canonical form of a personal identity number.

    ``"NO"``: eleven digits without spaces. ``"SE"``: ``YYYYMMDD-NNNN`` (the full year is
    kept so that the number stays unambiguous; a samordningsnummer keeps its day + 60).
    Raises :class:`ValueError` if the number is not valid or the country is unsupported.
    """
    if _country(country) == "NO":
        digits = _normalise_fodselsnummer(value)
        if digits is None:
            raise ValueError("This is not a valid Norwegian national identity number.")
        return digits
    twelve = _personnummer_12(value)
    if twelve is None:
        raise ValueError("This is not a valid Swedish personal identity number.")
    return f"{twelve[:8]}-{twelve[8:]}"
