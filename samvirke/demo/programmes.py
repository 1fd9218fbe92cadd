"""The demo programmes: 2008–2011 and 2011–2014, their partners, goals, subprojects, roles,
calendar and made-up participants, from ``data/people.json``, ``data/programmes.json`` and
``data/calendar.json``.

Organisations, periods, partners, anchoring and subprojects follow the source documents. Every
person is fictional and carries an obviously made-up name; e-mail addresses use the reserved
``.test`` domain. Loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from samvirke.accounts.models import Membership, Role, User
from samvirke.activities.models import (
    Action,
    ActionStatus,
    Activity,
    ActivityStatus,
    ActivityType,
    Decision,
    Registration,
    RegistrationStatus,
)
from samvirke.activities.services import add_decision, record_attendance, save_action, save_activity
from samvirke.audit.actor import Actor
from samvirke.audit.services import Change
from samvirke.demo.fixtures import day, day_or_none, fixture
from samvirke.demo.measures import load_measures, load_service_map
from samvirke.demo.ventures import load_ventures
from samvirke.mapping.services import EducationEntry, MappingAnswers, WorkEntry, record_mapping
from samvirke.participants.models import Participant
from samvirke.participants.services import Identity, give_consent, register_participant
from samvirke.participants.sign_in import bind_confirmed_address
from samvirke.programmes.models import (
    Goal,
    Indicator,
    Milestone,
    Municipality,
    Organisation,
    Partnership,
    Programme,
    ProjectGroupMember,
    Subproject,
    SubprojectStatus,
)
from samvirke.programmes.services import (
    add_project_group_member,
    create_programme,
    grant_membership,
    save_goal_part,
    save_partnership,
    save_subproject,
)

DEMO_PASSWORD = "samvirke-demo-2026"  # noqa: S105 - printed for the local demo only
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
SLUGS = ("integrering-2008", "entreprenorskap-2011")
RSMH = "RSMH – kartlegging av medlemmenes ressurser"
KIRKENS_HUS = "Kirkens hus"
# The demo itself acts where no one in it does: creating the programmes and their structure.
LOADER = Actor.of_user(None)


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    name: str


DEMO_LOGINS = [DemoLogin(**login) for login in fixture("people")["logins"]]


def _user(email: str, name: str, *, language: str = "nb", zone: str = "Europe/Oslo") -> User:
    # No service creates an account with a password (invitations mail a link instead).
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=name, language=language, time_zone=zone
        )
    return user


def _organisations() -> dict[str, Organisation]:
    # Organisations belong to no programme, and the one service that saves one needs a
    # programme to log against: they are made before any programme exists.
    result = {}
    for key, spec in fixture("people")["organisations"].items():
        country = spec["country"]
        municipality = Municipality.objects.filter(country=country, code=spec["municipality"])
        organisation, _ = Organisation.objects.get_or_create(
            name=spec["name"],
            defaults={
                "short_name": spec["short_name"],
                "type": spec["type"],
                "country": country,
                "municipality": municipality.first(),
                "org_number": spec["org_number"],
            },
        )
        result[key] = organisation
    return result


def _at(on: dt.date, hour: int, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime(on.year, on.month, on.day, hour, 0, tzinfo=zone)


def _calendar(
    programme: Programme,
    subprojects: list[Subproject],
    organisations: dict[str, Organisation],
    people: list[User],
    staff: list[User],
    rng: random.Random,
) -> None:
    calendar = fixture("calendar")
    organisers = [organisations["tisip"], organisations["ostersund"], organisations["stjordal"]]
    secretary = Actor.of_user(staff[0])
    for series in calendar["series"]:
        kind, hours = series["type"], series["hours"]
        on = programme.starts_on + dt.timedelta(days=rng.randint(10, 40))
        number = 0
        while on < programme.ends_on:
            number += 1
            country = "NO" if number % 2 else "SE"
            zone = OSLO if country == "NO" else STOCKHOLM
            place = rng.choice(calendar["places"][country])
            if kind == ActivityType.STUDY_VISIT:
                visits = calendar["study_visits"]
                label = visits[(number - 1) % len(visits)]
            else:
                city = "Trondheim/Stjørdal" if country == "NO" else "Östersund"
                label = f"{series['title']} {number} – {city}"
            starts = _at(on, 10 if hours > 3 else 17, zone)
            draft = Activity(
                programme=programme,
                type=kind,
                title=label,
                agenda=calendar["agendas"][kind],
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=hours),
                time_zone=str(zone),
                place=place,
                organiser=rng.choice(organisers),
                capacity=rng.choice([None, 25, 40]),
                open_to_participants=kind == ActivityType.USER_MEETING,
                status=ActivityStatus.HELD,
                minutes=calendar["minutes"][kind],
            )
            chosen = rng.sample(subprojects, k=min(len(subprojects), 2))
            activity = save_activity(
                actor=secretary, change=Change(obj=draft, related={"subprojects": chosen})
            )
            # Participants come to user meetings; the other activities are for the partners.
            pool = people if kind == ActivityType.USER_MEETING else staff
            attendees = rng.sample(pool, k=min(len(pool), rng.randint(3, 9)))
            came = {}
            registrations = []
            for person in attendees:
                came[person.pk] = rng.random() > 0.15
                registered_at = starts - dt.timedelta(days=rng.randint(3, 20))
                registrations.append(
                    Registration(
                        activity=activity,
                        user=person,
                        status=RegistrationStatus.REGISTERED,
                        registered_at=registered_at,
                    )
                )
            # register_for_activity refuses an activity that is over, and these all are: the
            # registrations are written as they stood; the attendance goes through the service.
            Registration.objects.bulk_create(registrations)
            record_attendance(
                actor=Actor.of_user(staff[0]),
                activity=activity,
                attended={r.pk: came[r.user_id] for r in registrations},
            )
            if kind in (ActivityType.PROJECT_GROUP_MEETING, ActivityType.NETWORK_GATHERING):
                add_decision(
                    actor=secretary,
                    activity=activity,
                    change=Change(obj=Decision(text=rng.choice(calendar["decisions"]))),
                )
                for _ in range(rng.randint(1, 2)):
                    due = on + dt.timedelta(days=rng.randint(10, 40))
                    done = due < programme.ends_on - dt.timedelta(days=60)
                    action = Action(
                        programme=programme,
                        activity=activity,
                        subproject=rng.choice(subprojects),
                        title=rng.choice(calendar["actions"]),
                        owner=rng.choice(staff),
                        due_on=due,
                        status=ActionStatus.DONE if done else ActionStatus.OPEN,
                    )
                    save_action(actor=secretary, change=Change(obj=action))
            on += dt.timedelta(days=series["interval_days"] + rng.randint(-10, 10))


def _programme(spec: dict[str, Any], organisations: dict[str, Organisation]) -> Programme:
    """The programme with its partners, goals, indicators, milestones and subprojects."""
    fields = {
        key: spec[key]
        for key in (
            *(f"{part}_{lang}" for part in ("name", "description") for lang in ("nb", "sv", "en")),
            "slug",
            "funding",
            "status",
        )
    }
    programme = create_programme(
        actor=None,
        leader=None,
        starts_on=day(spec["starts_on"]),
        ends_on=day(spec["ends_on"]),
        **fields,
    )
    for partner in spec["partners"]:
        save_partnership(
            actor=LOADER,
            change=Change(
                obj=Partnership(
                    programme=programme,
                    organisation=organisations[partner["organisation"]],
                    role=partner["role"],
                ),
                fields=("organisation", "role"),
            ),
        )
    goals = []
    for position, text in enumerate(spec["goals"], start=1):
        goal = Goal(
            programme=programme,
            position=position,
            text_nb=text["nb"],
            text_sv=text["sv"],
            text_en=text["en"],
        )
        goals.append(save_goal_part(actor=LOADER, programme=programme, change=Change(obj=goal)))
    subprojects: dict[str, Subproject] = {}
    for sub in spec["subprojects"]:
        subproject = Subproject(
            programme=programme,
            name=sub["name"],
            description=sub["description"],
            goals=sub["goals"],
            status=SubprojectStatus.COMPLETED,
        )
        owners = [organisations[key] for key in sub["owners"]]
        subprojects[sub["name"]] = save_subproject(
            actor=LOADER, change=Change(obj=subproject, related={"owners": owners})
        )
    for indicator in spec["indicators"]:
        values = {k: v for k, v in indicator.items() if k not in ("goal", "subproject")}
        part = Indicator(
            goal=goals[indicator["goal"] - 1],
            subproject=subprojects[indicator["subproject"]] if "subproject" in indicator else None,
            **values,
        )
        save_goal_part(actor=LOADER, programme=programme, change=Change(obj=part))
    for milestone in spec["milestones"]:
        reached = Milestone(
            programme=programme,
            title=milestone["title"],
            due_on=day(milestone["due_on"]),
            reached_on=day_or_none(milestone["reached_on"]),
        )
        save_goal_part(actor=LOADER, programme=programme, change=Change(obj=reached))
    return programme


def _grant(user: User, programme: Programme, role: str, **narrowing: Any) -> None:
    membership = Membership(user=user, programme=programme, role=role, **narrowing)
    grant_membership(actor=LOADER, change=Change(obj=membership), base_url="")


def _in_project_group(programme: Programme, user: User, **fields: Any) -> None:
    member = ProjectGroupMember(programme=programme, user=user, **fields)
    add_project_group_member(actor=LOADER, change=Change(obj=member))


def _programme_spec(slug: str) -> dict[str, Any]:
    return next(p for p in fixture("programmes")["programmes"] if p["slug"] == slug)


def _extra_people() -> list[User]:
    emails = [person["email"] for person in fixture("people")["extra_people"]]
    return list(User.objects.filter(email__in=emails))


def _load_first(organisations: dict[str, Organisation], logins: dict[str, User]) -> None:
    programme = _programme(_programme_spec("integrering-2008"), organisations)
    for role in (Role.PROGRAMME_LEADER, Role.COORDINATOR, Role.RESEARCHER):
        _grant(logins[role], programme, role)
    staff = [logins[Role.PROGRAMME_LEADER], logins[Role.COORDINATOR]]
    subprojects = list(programme.subprojects.order_by("pk"))
    rng = random.Random(2008)  # noqa: S311 - reproducible demo data, not security
    _calendar(programme, subprojects, organisations, _extra_people() + staff, staff, rng)


def _subproject_contact(subproject: Subproject, user: User) -> None:
    subproject.contact_person = user
    save_subproject(actor=LOADER, change=Change(obj=subproject, fields=("contact_person",)))


def _partner_contact(partnership: Partnership, user: User) -> None:
    partnership.contact_person = user
    save_partnership(actor=LOADER, change=Change(obj=partnership, fields=("contact_person",)))


def _load_second(organisations: dict[str, Organisation], logins: dict[str, User]) -> None:
    programme = _programme(_programme_spec("entreprenorskap-2011"), organisations)
    subprojects = {s.name: s for s in programme.subprojects.order_by("pk")}
    rsmh, kirkens_hus = subprojects[RSMH], subprojects[KIRKENS_HUS]

    # Roles: one demo login per role, narrowed where the role is narrow.
    for role in (Role.PROGRAMME_LEADER, Role.COORDINATOR, Role.RESEARCHER, Role.PARTICIPANT):
        _grant(logins[role], programme, role)
    contact = logins[Role.CONTACT_PERSON]
    _grant(
        contact,
        programme,
        Role.CONTACT_PERSON,
        subproject=rsmh,
        organisation=organisations["rsmh"],
    )
    _grant(logins[Role.GUIDE], programme, Role.GUIDE, subproject=kirkens_hus)
    _grant(
        logins[Role.USER_REPRESENTATIVE],
        programme,
        Role.USER_REPRESENTATIVE,
        organisation=organisations["mentalhelse"],
    )
    extra_people = fixture("people")["extra_people"]
    extra = {u.email: u for u in _extra_people()}
    per = extra[extra_people[0]["email"]]
    _grant(per, programme, Role.CONTACT_PERSON, subproject=kirkens_hus)
    _subproject_contact(rsmh, contact)
    _subproject_contact(kirkens_hus, per)
    for person in extra_people[1:]:
        _grant(extra[person["email"]], programme, Role.PARTICIPANT)
    partner_contacts = {
        "TISIP": logins[Role.PROGRAMME_LEADER],
        "Östersund": logins[Role.COORDINATOR],
        "RSMH": contact,
    }
    for partnership in programme.partnerships.select_related("organisation").order_by("pk"):
        if partnership.organisation.short_name in partner_contacts:
            _partner_contact(partnership, partner_contacts[partnership.organisation.short_name])

    # The joint project group: one from each subproject and the user representatives.
    _in_project_group(programme, logins[Role.PROGRAMME_LEADER])
    _in_project_group(programme, logins[Role.COORDINATOR])
    _in_project_group(programme, contact, subproject=rsmh)
    _in_project_group(programme, per, subproject=kirkens_hus)
    _in_project_group(programme, logins[Role.GUIDE], subproject=subprojects["Nye virksomheter"])
    _in_project_group(
        programme,
        logins[Role.USER_REPRESENTATIVE],
        subproject=subprojects["Samarbeid med brukerorganisasjoner"],
        is_user_representative=True,
    )
    staff = [logins[Role.PROGRAMME_LEADER], logins[Role.COORDINATOR], contact, per]
    people = [logins[Role.PARTICIPANT], logins[Role.USER_REPRESENTATIVE], *extra.values()]
    rng = random.Random(2011)  # noqa: S311 - reproducible demo data, not security
    _calendar(programme, list(subprojects.values()), organisations, people, staff, rng)
    _participants(programme, logins, subprojects, organisations)
    members = _rsmh_members(programme, logins, rsmh, organisations)
    _mappings(programme, logins, members)
    load_service_map(programme)
    load_measures(programme)
    load_ventures(programme)


def _register(
    programme: Programme,
    actor: User,
    identity: Identity,
    related: dict[str, list[Any]],
    **fields: Any,
) -> Participant:
    participant = Participant(programme=programme, **fields)
    return register_participant(
        actor=Actor.of_user(actor),
        change=Change(obj=participant, related=related),
        identity=identity,
    )


def _consents(participant: Participant, actor: User, purposes: list[str]) -> None:
    for purpose in purposes:
        give_consent(
            actor=Actor.of_user(actor), participant=participant, purpose=purpose, method="paper"
        )


def _participants(
    programme: Programme,
    logins: dict[str, User],
    subprojects: dict[str, Subproject],
    organisations: dict[str, Organisation],
) -> None:
    rng = random.Random(7)  # noqa: S311 - reproducible demo data, not security
    coordinator = logins[Role.COORDINATOR]
    for spec in fixture("people")["participants"]:
        name, country = spec["name"], spec["country"]
        account = logins[Role.PARTICIPANT] if name.startswith("Nora") else None
        subproject_name = spec["subproject"]
        related: dict[str, list[Any]] = {"subprojects": [subprojects[subproject_name]]}
        if subproject_name == KIRKENS_HUS:
            related["guides"] = [logins[Role.GUIDE]]
        else:
            related["organisations"] = [organisations["rsmh"]]
        # Nora signs in to the demo with the participant login's address, which her account
        # then holds only as a keyed hash.
        email = account.email if account else f"{name.split()[0].lower()}@demo.samvirke.test"
        participant = _register(
            programme,
            coordinator,
            Identity(full_name=name, email=email),
            related,
            country=country,
            birth_year=spec["birth_year"],
            gender=rng.choice(["woman", "man", "not_said"]),
            municipality=Municipality.objects.filter(
                country=country, code=spec["municipality"]
            ).first(),
            languages="norsk" if country == "NO" else "svenska",
            account=account,
        )
        if account is not None:
            bind_confirmed_address(participant=participant, address=email)
        _consents(participant, coordinator, spec["consents"])


def _rsmh_profiles() -> list[dict[str, Any]]:
    """What RSMH's member mapping found, one profile per member (enough kitchen people to show
    an enterprise opportunity)."""
    return [p for p in fixture("people")["rsmh_profiles"] for _ in range(p["count"])]


def _rsmh_members(
    programme: Programme,
    logins: dict[str, User],
    rsmh: Subproject,
    organisations: dict[str, Organisation],
) -> list[Participant]:
    """The members RSMH mapped: pseudonyms and made-up names only."""

    östersund = Municipality.objects.filter(country="SE", code="2380").first()
    rng = random.Random(11)  # noqa: S311 - reproducible demo data, not security
    contact = logins[Role.CONTACT_PERSON]
    members = []
    for number, _profile in enumerate(_rsmh_profiles(), start=1):
        participant = _register(
            programme,
            contact,
            Identity(full_name=f"RSMH-medlem {number:02} (demo)"),
            {"subprojects": [rsmh], "organisations": [organisations["rsmh"]]},
            country="SE",
            birth_year=rng.randint(1960, 2003),
            gender=rng.choice(["woman", "man", "not_said"]),
            municipality=östersund,
            languages="svenska",
        )
        # Most of the kitchen people also said yes to being considered for enterprise teams.
        purposes = ["follow_up", "team_matching"] if number <= 6 else ["follow_up"]
        # Every other member takes part in the evaluation, so the research export has enough
        # people to be made (it refuses fewer than five).
        if number % 2 == 0:
            purposes.append("research")
        _consents(participant, contact, purposes)
        members.append(participant)
    return members


def _mappings(programme: Programme, logins: dict[str, User], members: list[Participant]) -> None:
    """A mapping for every demo participant: RSMH members by profile, Nora by herself."""

    people = fixture("people")
    common = people["rsmh_mapping"]
    start_year, end_year = common["work_years"]
    for participant, profile in zip(members, _rsmh_profiles(), strict=True):
        record_mapping(
            actor=Actor.of_user(logins[Role.CONTACT_PERSON]),
            participant=participant,
            filled_by="guide",
            filled_on=day(common["filled_on"]),
            answers=MappingAnswers(
                skill_codes=profile["skills"],
                items={
                    "interest": profile["interests"],
                    "goal": profile["goals"],
                    "resource": common["resource"],
                },
                work=[
                    WorkEntry(
                        title=profile["title"],
                        occupation_code=profile["occupation"],
                        start_year=start_year,
                        end_year=end_year,
                    )
                ],
                education=[EducationEntry(level_code=profile["education_level"])],
                hours_per_week=common["hours_per_week"],
            ),
        )
    own = people["nora_mapping"]
    nora = programme.participants.get(account=logins[Role.PARTICIPANT])
    record_mapping(
        actor=Actor.of_user(logins[Role.PARTICIPANT]),
        participant=nora,
        filled_by="self",
        filled_on=day(own["filled_on"]),
        answers=MappingAnswers(
            skill_codes=own["skill_codes"],
            other_skills=own["other_skills"],
            items=own["items"],
            languages=own["languages"],
            hours_per_week=own["hours_per_week"],
            goals_in_own_words=own["goals_in_own_words"],
            work=[WorkEntry(**entry) for entry in own["work"]],
            education=[EducationEntry(**entry) for entry in own["education"]],
            life_situation=[tuple(rating) for rating in own["life_situation"]],
        ),
    )


@transaction.atomic
def load_demo() -> tuple[bool, list[DemoLogin]]:
    """Load the demo programmes; returns (whether anything was loaded, the demo logins)."""
    if Programme.objects.filter(slug__in=SLUGS).exists():
        return False, DEMO_LOGINS
    logins = {}
    for login in DEMO_LOGINS:
        swedish = login.role in (Role.COORDINATOR, Role.GUIDE, Role.RESEARCHER)
        logins[login.role] = _user(
            login.email,
            login.name,
            language="sv" if swedish else "nb",
            zone="Europe/Stockholm" if swedish else "Europe/Oslo",
        )
    for person in fixture("people")["extra_people"]:
        _user(person["email"], person["name"])
    organisations = _organisations()
    _load_first(organisations, logins)
    _load_second(organisations, logins)
    return True, DEMO_LOGINS
