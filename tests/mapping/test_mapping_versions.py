"""Recording, reading and filling in a participant's resource mapping."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditEntry
from samvirke.mapping.models import FilledBy, Mapping, Rater
from samvirke.mapping.services import (
    MappingAnswers,
    MappingConsentError,
    WorkEntry,
    record_mapping,
)
from samvirke.participants.models import Participant
from samvirke.participants.services import give_consent, withdraw_consent
from tests.conftest import Cast, sign_in
from tests.factories import ParticipantFactory
from tests.mapping.factories import EducationLevelFactory, OccupationFactory, OccupationTitleFactory


def followed_participant(cast: Cast, *, consent: bool = True) -> Participant:
    record = ParticipantFactory(programme=cast.programme, subprojects=[cast.subproject])
    record.guides.set([cast.guide])
    if consent:
        give_consent(
            actor=Actor.of_user(cast.guide), participant=record, purpose="follow_up", method="paper"
        )
    return record


def own_record(cast: Cast, *, consent: bool = True) -> Participant:
    record = followed_participant(cast, consent=consent)
    record.account = cast.participant
    record.save(update_fields=["account"])
    return record


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "filled_on": timezone.localdate().isoformat(),
        "skills": ["cooking"],
        "interests": ["cooking", "gardening"],
        "goals": ["enterprise"],
        "hours_per_week": "10",
        "life_self_housing": "green",
        "life_guide_housing": "yellow",
        "work-TOTAL_FORMS": "2",
        "work-INITIAL_FORMS": "0",
        "work-0-title": "kokk",
        "work-0-occupation_code": "",
        "work-0-start_year": "2010",
        "work-0-end_year": "2015",
        "work-0-sector": "private",
        "work-0-paid": "paid",
        "work-1-paid": "paid",
        "education-TOTAL_FORMS": "1",
        "education-INITIAL_FORMS": "0",
        "education-0-completed": "on",
    }
    data.update(overrides)
    return data


def cooks() -> None:
    cook = OccupationFactory(code="5120", label_en="Cooks", label_nb="Kokker", label_sv="Kockar")
    OccupationTitleFactory(language="nb", title="kokk", occupation=cook)
    OccupationTitleFactory(language="en", title="cook", occupation=cook)


@pytest.mark.django_db
def test_a_guide_records_a_mapping_with_work_coded_from_the_title(cast: Cast) -> None:
    # given
    cooks()
    record = followed_participant(cast)
    client = sign_in(Client(), cast.guide)
    # when
    response = client.post(
        reverse("mapping:new", args=[cast.programme.slug, record.public_id]), form_data()
    )
    # then
    assert response.status_code == 302
    mapping = Mapping.objects.get(participant=record)
    assert mapping.filled_by == FilledBy.WITH_GUIDE
    work = mapping.work.get()
    assert (work.title, work.occupation.code, work.start_year) == ("kokk", "5120", 2010)
    assert [s.code for s in mapping.skills.all()] == ["cooking"]
    assert sorted(mapping.items_of("interest")) == ["cooking", "gardening"]


@pytest.mark.django_db
def test_self_and_guide_ratings_of_the_life_situation_are_kept_apart(cast: Cast) -> None:
    # given
    record = followed_participant(cast)
    client = sign_in(Client(), cast.guide)
    # when
    client.post(reverse("mapping:new", args=[cast.programme.slug, record.public_id]), form_data())
    # then
    ratings = {
        (r.rater, r.domain): r.level
        for r in Mapping.objects.get(participant=record).life_situation.all()
    }
    assert ratings == {(Rater.SELF, "housing"): "green", (Rater.GUIDE, "housing"): "yellow"}


@pytest.mark.django_db
def test_a_new_version_keeps_the_old_one_and_becomes_current(cast: Cast) -> None:
    # given
    record = followed_participant(cast)
    first = record_mapping(
        actor=Actor.of_user(cast.guide),
        participant=record,
        filled_by=FilledBy.WITH_GUIDE,
        filled_on=dt.date(2024, 1, 10),
        answers=MappingAnswers(hours_per_week=5),
    )
    # when
    second = record_mapping(
        actor=Actor.of_user(cast.guide),
        participant=record,
        filled_by=FilledBy.SELF,
        filled_on=dt.date(2025, 3, 1),
        answers=MappingAnswers(hours_per_week=20),
    )
    # then
    first.refresh_from_db()
    assert (first.hours_per_week, first.is_current) == (5, False)
    assert (second.hours_per_week, second.is_current) == (20, True)


@pytest.mark.django_db
def test_a_backdated_version_does_not_replace_the_current_one(cast: Cast) -> None:
    record = followed_participant(cast)
    answers = MappingAnswers()
    kwargs = {"actor": Actor.of_user(cast.guide), "participant": record, "answers": answers}
    newer = record_mapping(filled_by=FilledBy.SELF, filled_on=dt.date(2025, 3, 1), **kwargs)
    older = record_mapping(filled_by=FilledBy.SELF, filled_on=dt.date(2024, 1, 1), **kwargs)
    newer.refresh_from_db()
    assert (newer.is_current, older.is_current) == (True, False)


@pytest.mark.django_db
def test_no_mapping_is_recorded_without_consent_to_follow_up(cast: Cast) -> None:
    # given
    record = followed_participant(cast, consent=False)
    # when / then
    with pytest.raises(MappingConsentError):
        record_mapping(
            actor=Actor.of_user(cast.guide),
            participant=record,
            filled_by=FilledBy.WITH_GUIDE,
            filled_on=timezone.localdate(),
            answers=MappingAnswers(work=[WorkEntry(title="kokk")]),
        )
    assert not Mapping.objects.exists()


@pytest.mark.django_db
def test_withdrawing_follow_up_consent_stops_new_mappings_at_once(cast: Cast) -> None:
    # given
    record = own_record(cast)
    withdraw_consent(actor=Actor.of_user(cast.participant), consent=record.consents.get())
    client = sign_in(Client(), cast.participant, second_factor=False)
    client.cookies["django_language"] = "en"
    # when
    response = client.post(reverse("mapping:my_new", args=[cast.programme.slug]), form_data())
    # then
    assert response.status_code == 400
    assert "first say yes to follow-up" in response.content.decode()
    assert not Mapping.objects.exists()


@pytest.mark.django_db
def test_bad_input_is_refused_with_translated_errors_and_saves_nothing(cast: Cast) -> None:
    # given
    record = followed_participant(cast)
    client = sign_in(Client(), cast.guide)
    client.cookies["django_language"] = "sv"
    bad = form_data(**{"work-0-end_year": "2005", "hours_per_week": "500"})
    # when
    response = client.post(
        reverse("mapping:new", args=[cast.programme.slug, record.public_id]), bad
    )
    # then
    assert response.status_code == 400
    html = response.content.decode()
    assert "Slutåret är före startåret." in html
    assert not Mapping.objects.exists()


@pytest.mark.django_db
def test_a_participant_fills_in_their_own_mapping(cast: Cast) -> None:
    # given
    EducationLevelFactory(code="3", label_en="Upper secondary education")
    record = own_record(cast)
    client = sign_in(Client(), cast.participant, second_factor=False)
    data = form_data(**{"education-0-level": "3", "education-0-field": "restaurantfag"})
    del data["filled_on"]
    # when
    response = client.post(reverse("mapping:my_new", args=[cast.programme.slug]), data)
    # then
    assert response.status_code == 302
    mapping = Mapping.objects.get(participant=record)
    assert mapping.filled_by == FilledBy.SELF
    assert mapping.filled_on == timezone.localdate()
    assert mapping.education.get().field == "restaurantfag"
    assert not mapping.life_situation.filter(rater=Rater.GUIDE).exists()


@pytest.mark.django_db
def test_the_participant_form_does_not_ask_for_the_guides_rating(cast: Cast) -> None:
    own_record(cast)
    client = sign_in(Client(), cast.participant, second_factor=False)
    html = client.get(reverse("mapping:my_new", args=[cast.programme.slug])).content.decode()
    assert 'name="life_self_housing"' in html
    assert 'name="life_guide_housing"' not in html


@pytest.mark.django_db
def test_the_next_version_starts_from_the_last_one(cast: Cast) -> None:
    # given
    record = own_record(cast)
    record_mapping(
        actor=Actor.of_user(cast.participant),
        participant=record,
        filled_by=FilledBy.SELF,
        filled_on=dt.date(2024, 1, 10),
        answers=MappingAnswers(languages="norsk, arabisk", work=[WorkEntry(title="sjåfør")]),
    )
    client = sign_in(Client(), cast.participant, second_factor=False)
    # when
    html = client.get(reverse("mapping:my_new", args=[cast.programme.slug])).content.decode()
    # then
    assert 'value="norsk, arabisk"' in html
    assert 'value="sjåfør"' in html


@pytest.mark.django_db
def test_opening_a_new_version_that_starts_from_the_last_one_is_logged_as_a_read(
    cast: Cast,
) -> None:
    # given
    record = own_record(cast)
    record_mapping(
        actor=Actor.of_user(cast.participant),
        participant=record,
        filled_by=FilledBy.SELF,
        filled_on=timezone.localdate(),
        answers=MappingAnswers(languages="norsk"),
    )
    guide = sign_in(Client(), cast.guide)
    # when
    guide.post(
        reverse("mapping:new", args=[cast.programme.slug, record.public_id]),
        {"reveal": "mapping"},
    )
    # then
    assert AuditEntry.objects.filter(
        action="view", actor=cast.guide, object_id=str(record.public_id), detail__what="mapping"
    ).exists()


@pytest.mark.django_db
def test_a_guide_opens_a_new_version_empty_without_reading_the_last_one(cast: Cast) -> None:
    # given
    record = own_record(cast)
    record_mapping(
        actor=Actor.of_user(cast.participant),
        participant=record,
        filled_by=FilledBy.SELF,
        filled_on=timezone.localdate(),
        answers=MappingAnswers(languages="norsk, arabisk"),
    )
    guide = sign_in(Client(), cast.guide)
    before = AuditEntry.objects.count()
    # when
    response = guide.get(reverse("mapping:new", args=[cast.programme.slug, record.public_id]))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="reveal" value="mapping"' in html
    assert "norsk, arabisk" not in html
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_starting_from_the_last_version_fills_the_form_with_it_and_logs_one_read(
    cast: Cast,
) -> None:
    # given
    record = own_record(cast)
    record_mapping(
        actor=Actor.of_user(cast.participant),
        participant=record,
        filled_by=FilledBy.SELF,
        filled_on=timezone.localdate(),
        answers=MappingAnswers(languages="norsk, arabisk"),
    )
    guide = sign_in(Client(), cast.guide)
    url = reverse("mapping:new", args=[cast.programme.slug, record.public_id])
    # when
    response = guide.post(url, {"reveal": "mapping"})
    # then: the form is filled in, nothing new is saved and the read is logged once
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="norsk, arabisk"' in html
    assert 'name="reveal" value="mapping"' not in html
    assert Mapping.objects.filter(participant=record).count() == 1
    reads = AuditEntry.objects.filter(action="view", actor=cast.guide, detail__what="mapping")
    assert reads.count() == 1


@pytest.mark.django_db
def test_a_staff_read_of_a_mapping_shows_in_the_participants_access_log(cast: Cast) -> None:
    # given
    record = own_record(cast)
    record_mapping(
        actor=Actor.of_user(cast.participant),
        participant=record,
        filled_by=FilledBy.SELF,
        filled_on=timezone.localdate(),
        answers=MappingAnswers(),
    )
    guide = sign_in(Client(), cast.guide)
    address = reverse("mapping:participant", args=[cast.programme.slug, record.public_id])
    # when
    opened = guide.get(address)
    logged_on_opening = AuditEntry.objects.filter(action="view", detail__what="mapping").exists()
    guide.post(address, {"reveal": "mapping"})
    # then
    assert opened.status_code == 200 and not logged_on_opening
    assert 'name="reveal" value="mapping"' in opened.content.decode()
    assert AuditEntry.objects.filter(
        action="view", actor=cast.guide, object_id=str(record.public_id), detail__what="mapping"
    ).exists()
    me = sign_in(Client(), cast.participant, second_factor=False)
    me.cookies["django_language"] = "en"
    log = me.get(reverse("participants:my_access_log", args=[cast.programme.slug]))
    assert "looked at your mapping" in log.content.decode()


@pytest.mark.django_db
def test_a_guide_cannot_open_the_mapping_of_someone_they_do_not_follow(cast: Cast) -> None:
    # given
    stranger = ParticipantFactory(programme=cast.programme, subprojects=[cast.other_subproject])
    client = sign_in(Client(), cast.guide)
    # when
    response = client.get(
        reverse("mapping:participant", args=[cast.programme.slug, stranger.public_id])
    )
    # then
    assert response.status_code == 404


@pytest.mark.django_db
def test_blank_work_and_education_rows_start_with_nothing_ticked(cast: Cast) -> None:
    # given
    own_record(cast)
    client = sign_in(Client(), cast.participant, second_factor=False)
    # when
    html = client.get(reverse("mapping:my_new", args=[cast.programme.slug])).content.decode()
    # then
    ticked = re.findall(r'<input[^>]*name="((?:work|education)-\d+-\w+)"[^>]*checked', html)
    assert ticked == []


@pytest.mark.django_db
def test_work_without_saying_whether_it_was_paid_is_refused(cast: Cast) -> None:
    # given
    cooks()
    record = followed_participant(cast)
    data = form_data()
    del data["work-0-paid"], data["work-1-paid"]
    client = sign_in(Client(), cast.guide)
    client.cookies["django_language"] = "en"
    # when
    response = client.post(
        reverse("mapping:new", args=[cast.programme.slug, record.public_id]), data
    )
    # then
    assert response.context["work"].forms[0].errors == {
        "paid": ["Say whether the work was paid or voluntary."]
    }
    assert not Mapping.objects.exists()
