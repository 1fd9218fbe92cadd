"""Study ids, date shifts and months since baseline of one research export."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from samvirke.evaluation.deidentify import Deidentifier, months_between, new_salt, region_code

PERSON = uuid.UUID("12345678-1234-5678-1234-567812345678")


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (dt.date(2025, 1, 31), dt.date(2025, 1, 31), 0),
        (dt.date(2025, 1, 15), dt.date(2025, 2, 14), 0),
        (dt.date(2025, 1, 15), dt.date(2025, 2, 15), 1),
        (dt.date(2025, 3, 1), dt.date(2025, 9, 1), 6),
        (dt.date(2024, 12, 20), dt.date(2026, 1, 5), 12),
        (dt.date(2025, 3, 10), dt.date(2025, 1, 20), -1),
    ],
)
def test_months_since_baseline_count_whole_months(
    start: dt.date, end: dt.date, months: int
) -> None:
    assert months_between(start, end) == months


def test_the_same_person_gets_unrelated_study_ids_under_two_salts() -> None:
    # given
    first, second = Deidentifier(salt=new_salt()), Deidentifier(salt=new_salt())
    # when
    ids = first.study_id(PERSON), second.study_id(PERSON)
    # then
    assert ids[0] != ids[1]
    assert all(len(study_id) == 11 and study_id.startswith("R") for study_id in ids)


def test_one_export_gives_a_person_the_same_study_id_and_date_shift_every_time() -> None:
    # given
    salt = new_salt()
    # when
    once, again = Deidentifier(salt=salt), Deidentifier(salt=salt, dates="shifted")
    # then
    assert once.study_id(PERSON) == again.study_id(PERSON)
    assert once.shift_days(PERSON) == again.shift_days(PERSON)


def test_a_date_shift_is_never_zero_and_at_most_half_a_year() -> None:
    shifts = {Deidentifier(salt=new_salt()).shift_days(uuid.uuid4()) for _ in range(300)}
    assert 0 not in shifts
    assert max(abs(days) for days in shifts) <= 182
    assert min(shifts) < 0 < max(shifts)


@pytest.mark.parametrize(("code", "region"), [("5001", "50"), ("2380", "23"), ("", "")])
def test_the_region_is_the_first_two_digits_of_the_municipality_number(
    code: str, region: str
) -> None:
    assert region_code(code) == region
