"""A participant about whom Samvirke holds something everywhere it can: export, erasure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from samvirke.activities.models import Registration
from samvirke.audit.actor import Actor
from samvirke.mapping.models import FilledBy, Mapping
from samvirke.mapping.services import EducationEntry, MappingAnswers, WorkEntry, record_mapping
from samvirke.participants.models import ConsentPurpose, Participant
from samvirke.participants.services import Identity, give_consent
from tests.conftest import Cast
from tests.factories import ActivityFactory, MunicipalityFactory, ParticipantFactory
from tests.mapping.factories import EducationLevelFactory, OccupationFactory

# A synthetic Norwegian test number (Tenor, month + 80), never a real person.
TEST_FNR = "15838540063"
NAME = "Zerihun Haile-Mariam"
EMAIL = "zerihun.haile@example.test"
PHONE = "+47 912 34 567"
LANGUAGES = "tigrinja, amharisk"
OTHER_SKILLS = "Sveiser sykkelrammer på fritida"
MAPPING_LANGUAGES = "tigrinja og litt italiensk"
GOALS = "Åpne et eget bakeri på Møhlenpris"
SUPPORT = "Hjelp med skjemaene fra Nav"
WORK_TITLE = "Bakerlærling hos Bakeri Nordvik"
FIELD = "Konditorfaget ved Eikeli"
COURSES = "Mattrygghetskurs hos Mattilsynet 2019"
ACCOUNT_PHONE = "+47 400 11 222"

# What must not be found anywhere once the person is erased (outside the audit trail).
FREE_TEXT = [LANGUAGES, OTHER_SKILLS, MAPPING_LANGUAGES, GOALS, SUPPORT, WORK_TITLE, FIELD, COURSES]
IDENTIFYING = [NAME, EMAIL, PHONE, TEST_FNR, ACCOUNT_PHONE]


@dataclass
class Described:
    participant: Participant
    mapping: Mapping
    upcoming: Registration
    past: Registration
    account_email: str
    account_name: str


def described_participant(cast: Cast, *, research: bool = True) -> Described:
    """The cast's participant, with identity, consents, a mapping and two registrations."""
    account = cast.participant
    account.phone = ACCOUNT_PHONE
    account.save(update_fields=["phone"])
    # What the account held in clear before it was linked to the record (which hides them).
    account_email, account_name = account.email, account.full_name
    participant = ParticipantFactory(
        programme=cast.programme,
        account=account,
        subprojects=[cast.subproject],
        identity=Identity(full_name=NAME, email=EMAIL, phone=PHONE, national_id=TEST_FNR),
        gender="woman",
        municipality=MunicipalityFactory(),
        languages=LANGUAGES,
    )
    participant.guides.set([cast.guide])
    participant.organisations.set([cast.subproject.owners.get()])
    purposes = [ConsentPurpose.FOLLOW_UP] + ([ConsentPurpose.RESEARCH] if research else [])
    for purpose in purposes:
        give_consent(
            actor=Actor.of_user(account), participant=participant, purpose=purpose, method="self"
        )
    OccupationFactory(code="7512", label_en="Bakers")
    EducationLevelFactory(code="3", label_en="Upper secondary education")
    mapping = record_mapping(
        actor=Actor.of_user(cast.guide),
        participant=participant,
        filled_by=FilledBy.WITH_GUIDE,
        filled_on=timezone.localdate(),
        answers=MappingAnswers(
            skill_codes=["cooking"],
            other_skills=OTHER_SKILLS,
            items={"interest": ["cooking"], "goal": ["enterprise"]},
            languages=MAPPING_LANGUAGES,
            hours_per_week=12,
            goals_in_own_words=GOALS,
            support_in_own_words=SUPPORT,
            work=[WorkEntry(title=WORK_TITLE, occupation_code="7512", start_year=2015)],
            education=[EducationEntry(level_code="3", field=FIELD, courses=COURSES)],
            life_situation=[("housing", "self", "green"), ("finances", "guide", "yellow")],
        ),
    )
    upcoming = Registration.objects.create(
        activity=ActivityFactory(programme=cast.programme, title="Bakekurs i Bergen"),
        user=account,
    )
    long_ago = timezone.now() - dt.timedelta(days=30)
    past = Registration.objects.create(
        activity=ActivityFactory(
            programme=cast.programme,
            title="Nettverkssamling i fjor",
            starts_at=long_ago,
            ends_at=long_ago + dt.timedelta(hours=2),
        ),
        user=account,
        attended=True,
    )
    return Described(
        participant=participant,
        mapping=mapping,
        upcoming=upcoming,
        past=past,
        account_email=account_email,
        account_name=account_name,
    )
