"""The demo: the two cross-border programmes from the source documents, with made-up people.

Organisations, periods, partners, anchoring and subprojects follow the source documents. Every
person is fictional and carries an obviously made-up name; e-mail addresses use the reserved
``.test`` domain. Loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from dataclasses import dataclass
from typing import TYPE_CHECKING

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
from samvirke.activities.services import index_activity
from samvirke.audit.actor import Actor
from samvirke.audit.services import record_event
from samvirke.mapping.services import EducationEntry, MappingAnswers, WorkEntry, record_mapping
from samvirke.measures.demo import load_measures, load_service_map
from samvirke.participants.models import Participant, new_pseudonym
from samvirke.participants.services import Identity, _store_identity, give_consent
from samvirke.participants.sign_in import bind_confirmed_address
from samvirke.programmes.models import (
    Goal,
    Indicator,
    Milestone,
    Municipality,
    Organisation,
    OrganisationType,
    PartnerRole,
    Partnership,
    Programme,
    ProgrammeStatus,
    ProjectGroupMember,
    Subproject,
    SubprojectStatus,
)
from samvirke.programmes.services import index_partnership, index_programme, index_subproject
from samvirke.ventures.demo import load_ventures

if TYPE_CHECKING:
    from samvirke.participants.models import Participant

DEMO_PASSWORD = "samvirke-demo-2026"  # noqa: S105 - printed for the local demo only
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    name: str


DEMO_LOGINS = [
    DemoLogin(Role.PROGRAMME_LEADER, "leder@demo.samvirke.test", "Kari Nordmann (demo)"),
    DemoLogin(Role.COORDINATOR, "koordinator@demo.samvirke.test", "Anna Andersson (demo)"),
    DemoLogin(Role.CONTACT_PERSON, "kontakt@demo.samvirke.test", "Ola Nordmann (demo)"),
    DemoLogin(Role.GUIDE, "veileder@demo.samvirke.test", "Sven Svensson (demo)"),
    DemoLogin(
        Role.USER_REPRESENTATIVE, "brukerrepresentant@demo.samvirke.test", "Lisa Exempel (demo)"
    ),
    DemoLogin(Role.RESEARCHER, "forsker@demo.samvirke.test", "Erik Eksempelsen (demo)"),
    DemoLogin(Role.PARTICIPANT, "deltaker@demo.samvirke.test", "Nora Prøvesen (demo)"),
]

EXTRA_PEOPLE = [
    ("per.prove@demo.samvirke.test", "Per Prøve (demo)"),
    ("maja.test@demo.samvirke.test", "Maja Testsson (demo)"),
    ("jon.fiktiv@demo.samvirke.test", "Jon Fiktiv (demo)"),
    ("eva.exempel@demo.samvirke.test", "Eva Exempelsdotter (demo)"),
    ("ali.oppdiktet@demo.samvirke.test", "Ali Oppdiktet (demo)"),
    ("sara.pa.lat@demo.samvirke.test", "Sara På-Lat (demo)"),
    ("nils.namnlos@demo.samvirke.test", "Nils Namnlös (demo)"),
    ("ingrid.innbilt@demo.samvirke.test", "Ingrid Innbilt (demo)"),
    ("tor.tenkt@demo.samvirke.test", "Tor Tenkt (demo)"),
    ("lena.lekmann@demo.samvirke.test", "Lena Lekmann (demo)"),
]

# name, short, type, country, municipality code, organisation number (public registers)
ORGANISATIONS = {
    "trondheim": (
        "Trondheim kommune",
        "Trondheim",
        OrganisationType.MUNICIPALITY,
        "NO",
        "5001",
        "942110464",
    ),
    "ostersund": (
        "Östersunds kommun / Mica",
        "Östersund",
        OrganisationType.MUNICIPALITY,
        "SE",
        "2380",
        "",
    ),
    "stjordal": ("Stjørdal kommune", "Stjørdal", OrganisationType.MUNICIPALITY, "NO", "5035", ""),
    "miun": ("Mittuniversitetet", "Miun", OrganisationType.UNIVERSITY, "SE", "2281", ""),
    "tisip": (
        "TISIP – stiftelsen for informasjonsteknologi i samfunnet",
        "TISIP",
        OrganisationType.RESEARCH_INSTITUTE,
        "NO",
        "5001",
        "",
    ),
    "nav": ("NAV Sør-Trøndelag", "NAV", OrganisationType.PUBLIC_AGENCY, "NO", "5001", ""),
    "kim": (
        "Kim-senteret",
        "Kim-senteret",
        OrganisationType.VOLUNTARY_ORGANISATION,
        "NO",
        "5001",
        "",
    ),
    "landstinget": (
        "Jämtlands läns landsting",
        "Landstinget",
        OrganisationType.COUNTY,
        "SE",
        "2380",
        "",
    ),
    "rsmh": (
        "RSMH – Riksförbundet för social och mental hälsa",
        "RSMH",
        OrganisationType.USER_ORGANISATION,
        "SE",
        "2380",
        "",
    ),
    "mentalhelse": (
        "Mental Helse",
        "Mental Helse",
        OrganisationType.USER_ORGANISATION,
        "NO",
        "5035",
        "",
    ),
    "kirken": ("Den norske kirke, Stjørdal", "Kirken", OrganisationType.CHURCH, "NO", "5035", ""),
    "nks": (
        "Norske Kvinners Sanitetsforening",
        "NKS",
        OrganisationType.VOLUNTARY_ORGANISATION,
        "NO",
        "5035",
        "",
    ),
    "rodekors": (
        "Røde Kors",
        "Røde Kors",
        OrganisationType.VOLUNTARY_ORGANISATION,
        "NO",
        "5001",
        "",
    ),
    "innovasjon": (
        "Innovasjon Norge",
        "Innovasjon Norge",
        OrganisationType.BUSINESS_SUPPORT,
        "NO",
        "5001",
        "",
    ),
    "almi": ("Almi Mitt", "Almi", OrganisationType.BUSINESS_SUPPORT, "SE", "2380", ""),
    "af": (
        "Arbetsförmedlingen",
        "Arbetsförmedlingen",
        OrganisationType.PUBLIC_AGENCY,
        "SE",
        "2380",
        "",
    ),
}


def _user(email: str, name: str, *, language: str = "nb", zone: str = "Europe/Oslo") -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=name, language=language, time_zone=zone
        )
    return user


def _organisations() -> dict[str, Organisation]:
    result = {}
    for key, (name, short, kind, country, code, orgnr) in ORGANISATIONS.items():
        municipality = Municipality.objects.filter(country=country, code=code).first()
        organisation, _ = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "type": kind,
                "country": country,
                "municipality": municipality,
                "org_number": orgnr,
            },
        )
        result[key] = organisation
    return result


def _at(day: dt.date, hour: int, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=zone)


PLACES = {
    "NO": ["TISIP, Trondheim", "Kirkens hus, Stjørdal", "Stjørdal rådhus", "Trondheim bibliotek"],
    "SE": ["Mica, Östersund", "Mittuniversitetet, Östersund", "Östersunds rådhus"],
}

CALENDAR = [
    # (type, title in Norwegian/Swedish, interval in days, hours)
    (ActivityType.NETWORK_GATHERING, "Nettverkssamling", 120, 6),
    (ActivityType.USER_MEETING, "Brukertreff", 45, 3),
    (ActivityType.PROJECT_GROUP_MEETING, "Prosjektgruppemøte", 60, 2),
    (ActivityType.WRITING_SEMINAR, "Skriveseminar", 240, 7),
    (ActivityType.STUDY_VISIT, "Studiebesøk", 200, 5),
]

STUDY_VISITS = [
    "Studiebesøk: Fontenehuset i Trondheim",
    "Studiebesök: Klubbhuset Fontänhuset Östersund",
    "Studiebesøk: Sosialt entreprenørskap i Vestfold",
    "Studiebesök: RSMH:s sociala företag i Jämtland",
]

AGENDAS = {
    ActivityType.NETWORK_GATHERING: "1. Velkommen og runde\n2. Nytt fra delprosjektene\n"
    "3. Tema: brukermedvirkning i tiltaksarbeid\n4. Erfaringsutveksling i grupper\n5. Veien videre",
    ActivityType.USER_MEETING: "1. Kaffe og prat\n2. Hva har skjedd siden sist?\n"
    "3. Ønsker og ideer fra deltakerne\n4. Neste treff",
    ActivityType.PROJECT_GROUP_MEETING: "1. Status per delprosjekt\n2. Økonomi og rapportering\n"
    "3. Planlegging av neste nettverkssamling\n4. Eventuelt",
    ActivityType.WRITING_SEMINAR: "1. Struktur for sluttrapporten\n2. Skrivegrupper per "
    "delprosjekt\n3. Felles gjennomlesning",
    ActivityType.STUDY_VISIT: "Omvisning, samtale med deltakere og ledelse, oppsummering.",
}

MINUTES = {
    ActivityType.NETWORK_GATHERING: "God oppslutning fra både norsk og svensk side. Delprosjektene "
    "presenterte status. Diskusjon om hvordan kartleggingen kan brukes som grunnlag for tiltak.",
    ActivityType.USER_MEETING: "Deltakerne ønsket flere aktiviteter på kveldstid og et fast "
    "møtested. Forslag om felles matlaging ble godt mottatt.",
    ActivityType.PROJECT_GROUP_MEETING: "Gjennomgang av framdrift. Rapportering til Interreg "
    "sekretariatet er i rute. Neste samling planlegges i Östersund.",
    ActivityType.WRITING_SEMINAR: "Hver gruppe leverte et utkast. Felles mal for "
    "delprosjektkapitlene ble vedtatt.",
    ActivityType.STUDY_VISIT: "Nyttig besøk; særlig inspirerende å høre hvordan deltakerne "
    "selv driver kafeen.",
}

DECISIONS = [
    "Neste nettverkssamling holdes i Östersund.",
    "Kartleggingsskjemaet oversettes til svensk før neste runde.",
    "Brukertreffene flyttes til torsdager kl. 17.",
    "Prosjektgruppen godkjenner felles mal for delprosjektrapporter.",
    "Det opprettes en arbeidsgruppe for sosialt entreprenørskap.",
]

ACTIONS = [
    "Sende innkalling til neste samling",
    "Oversette kartleggingsskjemaet til svensk",
    "Skrive referat og legge det ut for prosjektgruppen",
    "Kontakte Innovasjon Norge om etablererveiledning",
    "Samle inn deltakerlister fra delprosjektene",
    "Utkast til kapittel om brukermedvirkning",
]


def _calendar(
    programme: Programme,
    subprojects: list[Subproject],
    organisations: dict[str, Organisation],
    people: list[User],
    staff: list[User],
    rng: random.Random,
) -> None:
    organisers = [organisations["tisip"], organisations["ostersund"], organisations["stjordal"]]
    for kind, title, interval, hours in CALENDAR:
        day = programme.starts_on + dt.timedelta(days=rng.randint(10, 40))
        number = 0
        while day < programme.ends_on:
            number += 1
            country = "NO" if number % 2 else "SE"
            zone = OSLO if country == "NO" else STOCKHOLM
            place = rng.choice(PLACES[country])
            if kind == ActivityType.STUDY_VISIT:
                label = STUDY_VISITS[(number - 1) % len(STUDY_VISITS)]
            else:
                city = "Trondheim/Stjørdal" if country == "NO" else "Östersund"
                label = f"{title} {number} – {city}"
            starts = _at(day, 10 if hours > 3 else 17, zone)
            activity = Activity.objects.create(
                programme=programme,
                type=kind,
                title=label,
                agenda=AGENDAS[kind],
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=hours),
                time_zone=str(zone),
                place=place,
                organiser=rng.choice(organisers),
                capacity=rng.choice([None, 25, 40]),
                open_to_participants=kind == ActivityType.USER_MEETING,
                status=ActivityStatus.HELD,
                minutes=MINUTES[kind],
                created_by=staff[0],
            )
            activity.subprojects.set(rng.sample(subprojects, k=min(len(subprojects), 2)))
            # Participants come to user meetings; the other activities are for the partners.
            pool = people if kind == ActivityType.USER_MEETING else staff
            attendees = rng.sample(pool, k=min(len(pool), rng.randint(3, 9)))
            Registration.objects.bulk_create(
                [
                    Registration(
                        activity=activity,
                        user=person,
                        status=RegistrationStatus.REGISTERED,
                        attended=rng.random() > 0.15,
                        registered_at=starts - dt.timedelta(days=rng.randint(3, 20)),
                    )
                    for person in attendees
                ]
            )
            if kind in (ActivityType.PROJECT_GROUP_MEETING, ActivityType.NETWORK_GATHERING):
                Decision.objects.create(
                    activity=activity, text=rng.choice(DECISIONS), created_by=staff[0]
                )
                for _ in range(rng.randint(1, 2)):
                    due = day + dt.timedelta(days=rng.randint(10, 40))
                    done = due < programme.ends_on - dt.timedelta(days=60)
                    Action.objects.create(
                        programme=programme,
                        activity=activity,
                        subproject=rng.choice(subprojects),
                        title=rng.choice(ACTIONS),
                        owner=rng.choice(staff),
                        due_on=due,
                        status=ActionStatus.DONE if done else ActionStatus.OPEN,
                    )
            index_activity(activity)
            day += dt.timedelta(days=interval + rng.randint(-10, 10))


def _partners(
    programme: Programme, organisations: dict[str, Organisation], plan: list[tuple[str, str]]
) -> None:
    for key, role in plan:
        partnership = Partnership.objects.create(
            programme=programme, organisation=organisations[key], role=role
        )
        index_partnership(partnership)


def _goals(programme: Programme, goals: list[tuple[str, str, str]]) -> list[Goal]:
    return [
        Goal.objects.create(programme=programme, position=i, text_nb=nb, text_sv=sv, text_en=en)
        for i, (nb, sv, en) in enumerate(goals, start=1)
    ]


def _load_first(organisations: dict[str, Organisation], logins: dict[str, User]) -> None:
    programme = Programme.objects.create(
        slug="integrering-2008",
        name_nb="Sosial integrering av mennesker med psykiske problemer",
        name_sv="Social integration av människor med psykisk ohälsa",
        name_en="Social integration of people with mental-health problems",
        description_nb="Trondheim, Stjørdal og Östersund utvikler, prøver ut og evaluerer "
        "tjenester og tiltak som kan bidra til økt integrering av mennesker med psykiske "
        "problemer.",
        description_sv="Trondheim, Stjørdal och Östersund utvecklar, prövar och utvärderar "
        "insatser som ökar integrationen av människor med psykisk ohälsa.",
        description_en="Trondheim, Stjørdal and Östersund develop, try out and evaluate "
        "services and measures that increase the integration of people with mental-health "
        "problems.",
        starts_on=dt.date(2008, 12, 1),
        ends_on=dt.date(2011, 11, 30),
        funding="Interreg IV A Sverige–Norge (Europeiska regionala utvecklingsfonden)",
        status=ProgrammeStatus.COMPLETED,
    )
    _partners(
        programme,
        organisations,
        [
            ("tisip", PartnerRole.LEAD_PARTNER),
            ("ostersund", PartnerRole.LEAD_PARTNER),
            ("trondheim", PartnerRole.PARTNER),
            ("stjordal", PartnerRole.PARTNER),
            ("miun", PartnerRole.PARTNER),
            ("nav", PartnerRole.PARTNER),
            ("kim", PartnerRole.PARTNER),
            ("landstinget", PartnerRole.PARTNER),
        ],
    )
    goals = _goals(
        programme,
        [
            (
                "Utvikle, prøve ut og evaluere tjenester og tiltak som kan bidra til økt "
                "integrering av mennesker med psykiske problemer",
                "Utveckla, pröva och utvärdera insatser som ökar integrationen av människor "
                "med psykisk ohälsa",
                "Develop, try out and evaluate services and measures that increase integration",
            ),
            (
                "Styrke kunnskapen om hvordan ulike integrerende tiltak virker hver for seg og "
                "samlet",
                "Stärka kunskapen om hur olika insatser verkar var för sig och tillsammans",
                "Know how each measure works, alone and together",
            ),
            (
                "Øke kompetansen hos tjenesteutøvere og brukere om hvordan tjenestesystemet "
                "fungerer",
                "Öka kompetensen hos personal och brukare om hur servicesystemet fungerar",
                "Raise competence about how the service system works",
            ),
            (
                "Utvikle brukerorganiseringen og brukerinnflytelse, spesielt blant ungdom",
                "Utveckla brukarorganisering och brukarinflytande, särskilt bland unga",
                "Develop user organisation and user influence, especially among youth",
            ),
        ],
    )
    Indicator.objects.create(
        goal=goals[0],
        name_nb="Tiltak prøvd ut",
        name_sv="Prövade insatser",
        name_en="Measures tried out",
        unit="",
        baseline=0,
        target=8,
        current=8,
    )
    subprojects = [
        Subproject.objects.create(
            programme=programme,
            name=name,
            description=description,
            status=SubprojectStatus.COMPLETED,
        )
        for name, description in [
            ("Arbeidsinkludering Trondheim", "Tiltak for arbeid og aktivitet i samarbeid med NAV."),
            ("Mötesplatser Östersund", "Mötesplatser och sysselsättning via Mica."),
            ("Brukermedvirkning ungdom", "Styrke brukerorganisering blant unge i Stjørdal."),
        ]
    ]
    for subproject, owner in zip(subprojects, ["trondheim", "ostersund", "stjordal"], strict=True):
        subproject.owners.set([organisations[owner]])
        index_subproject(subproject)
    for role in (Role.PROGRAMME_LEADER, Role.COORDINATOR, Role.RESEARCHER):
        Membership.objects.create(user=logins[role], programme=programme, role=role)
    staff = [logins[Role.PROGRAMME_LEADER], logins[Role.COORDINATOR]]
    people = list(User.objects.filter(email__in=[e for e, _ in EXTRA_PEOPLE]))
    rng = random.Random(2008)  # noqa: S311 - reproducible demo data, not security
    _calendar(programme, subprojects, organisations, people + staff, staff, rng)
    index_programme(programme)
    record_event(
        action="create",
        actor=Actor.of_user(None),
        obj=programme,
        programme=programme,
        detail={"source": "demo"},
    )


def _load_second(  # noqa: C901 - one long, linear script of demo data
    organisations: dict[str, Organisation], logins: dict[str, User]
) -> None:
    programme = Programme.objects.create(
        slug="entreprenorskap-2011",
        name_nb="Sosial integrering gjennom entreprenørskap og samarbeid",
        name_sv="Social integration genom entreprenörskap och samverkan",
        name_en="Social integration through entrepreneurship and collaboration",
        description_nb="Bidra til økt integrering i arbeidslivet gjennom entreprenørskap: "
        "bedrifts- og virksomhetsetablering og tiltak med utgangspunkt i individenes egne "
        "ressurser, interesser og initiativ. Forankret hos TISIP på norsk side og hos "
        "Östersunds kommun på svensk side.",
        description_sv="Öka integrationen i arbetslivet genom entreprenörskap: företagande och "
        "insatser som utgår från individernas egna resurser, intressen och initiativ.",
        description_en="Increase integration in working life through entrepreneurship: "
        "starting businesses and measures built on individuals' own resources, interests and "
        "initiative.",
        starts_on=dt.date(2011, 12, 1),
        ends_on=dt.date(2014, 8, 31),
        funding="Interreg IV A Sverige–Norge (Europeiska regionala utvecklingsfonden)",
        status=ProgrammeStatus.COMPLETED,
    )
    _partners(
        programme,
        organisations,
        [
            ("tisip", PartnerRole.LEAD_PARTNER),
            ("ostersund", PartnerRole.LEAD_PARTNER),
            ("trondheim", PartnerRole.PARTNER),
            ("stjordal", PartnerRole.PARTNER),
            ("miun", PartnerRole.PARTNER),
            ("rsmh", PartnerRole.PARTNER),
            ("mentalhelse", PartnerRole.VOLUNTARY_COLLABORATOR),
            ("kirken", PartnerRole.VOLUNTARY_COLLABORATOR),
            ("nks", PartnerRole.VOLUNTARY_COLLABORATOR),
            ("rodekors", PartnerRole.VOLUNTARY_COLLABORATOR),
            ("innovasjon", PartnerRole.VOLUNTARY_COLLABORATOR),
            ("almi", PartnerRole.VOLUNTARY_COLLABORATOR),
            ("nav", PartnerRole.VOLUNTARY_COLLABORATOR),
            ("af", PartnerRole.VOLUNTARY_COLLABORATOR),
        ],
    )
    goals = _goals(
        programme,
        [
            (
                "Bidra til økt integrering i arbeidslivet gjennom entreprenørskap",
                "Bidra till ökad integration i arbetslivet genom entreprenörskap",
                "Increase integration in working life through entrepreneurship",
            ),
            (
                "Utvikle tiltak med utgangspunkt i individenes egne ressurser, interesser og "
                "initiativ",
                "Utveckla insatser utifrån individernas egna resurser, intressen och initiativ",
                "Develop measures built on individuals' own resources, interests and initiative",
            ),
            (
                "Utvikle samarbeid med frivillige organisasjoner for innovasjon og nyskaping",
                "Utveckla samverkan med frivilliga organisationer för innovation",
                "Collaborate with voluntary organisations for innovation",
            ),
        ],
    )
    subprojects = {}
    specs = [
        (
            "RSMH – kartlegging av medlemmenes ressurser",
            "Kartlegging av medlemmene (tidligere arbeid, utdannelse, interesser), med sikte på "
            "å sette i gang en prosess for utvikling av tiltak/åtgärder eller "
            "virksomhetsetablering.",
            "Kartlegge 60 medlemmer; minst to tiltak eller etableringer startet.",
            ["rsmh"],
        ),
        (
            "Kirkens hus",
            "En samhandlingsarena i Stjørdal der mennesker med psykiske problemer/rusproblemer "
            "får en mer normalisert sosial omgang og mulighet til å delta i aktiviteter og "
            "arbeid. Samarbeid mellom NKS, Mental Helse, Den norske kirke og Stjørdal kommune.",
            "Åpent møtested tre dager i uka; 30 faste brukere.",
            ["nks", "mentalhelse", "kirken", "stjordal"],
        ),
        (
            "Samarbeid med brukerorganisasjoner",
            "Avklaring av behov og muligheter sammen med brukerorganisasjonene, og initiering "
            "og gjennomføring av entreprenørskapsprosjekter.",
            "Minst tre entreprenørskapsprosjekter initiert.",
            ["mentalhelse", "rsmh"],
        ),
        (
            "Nye virksomheter",
            "Etablering av nye tiltak og virksomheter basert på et bredt samarbeid mellom "
            "kommune, NAV og brukere.",
            "To nye virksomheter etablert.",
            ["trondheim", "ostersund"],
        ),
    ]
    for name, description, goal_text, owners in specs:
        subproject = Subproject.objects.create(
            programme=programme,
            name=name,
            description=description,
            goals=goal_text,
            status=SubprojectStatus.COMPLETED,
        )
        subproject.owners.set([organisations[o] for o in owners])
        subprojects[name] = subproject
    rsmh = subprojects["RSMH – kartlegging av medlemmenes ressurser"]
    kirkens_hus = subprojects["Kirkens hus"]
    Indicator.objects.create(
        goal=goals[1],
        subproject=rsmh,
        name_nb="Medlemmer kartlagt",
        name_sv="Kartlagda medlemmar",
        name_en="Members mapped",
        target=60,
        current=47,
    )
    Indicator.objects.create(
        goal=goals[0],
        subproject=subprojects["Nye virksomheter"],
        name_nb="Nye virksomheter etablert",
        name_sv="Nya verksamheter",
        name_en="New enterprises established",
        target=2,
        current=1,
    )
    Indicator.objects.create(
        goal=goals[2],
        subproject=kirkens_hus,
        name_nb="Faste brukere av møtestedet",
        name_sv="Fasta besökare på mötesplatsen",
        name_en="Regular visitors to the meeting place",
        target=30,
        current=24,
    )
    for title, due, reached in [
        ("Oppstartssamling", dt.date(2012, 2, 15), dt.date(2012, 2, 15)),
        ("Kartlegging i RSMH fullført", dt.date(2013, 3, 31), dt.date(2013, 5, 20)),
        ("Midtveisevaluering", dt.date(2013, 6, 30), dt.date(2013, 6, 28)),
        ("Sluttkonferanse og sluttrapport", dt.date(2014, 8, 31), None),
    ]:
        Milestone.objects.create(programme=programme, title=title, due_on=due, reached_on=reached)

    # Roles: one demo login per role, narrowed where the role is narrow.
    for role in (Role.PROGRAMME_LEADER, Role.COORDINATOR, Role.RESEARCHER, Role.PARTICIPANT):
        Membership.objects.create(user=logins[role], programme=programme, role=role)
    Membership.objects.create(
        user=logins[Role.CONTACT_PERSON],
        programme=programme,
        role=Role.CONTACT_PERSON,
        subproject=rsmh,
        organisation=organisations["rsmh"],
    )
    Membership.objects.create(
        user=logins[Role.GUIDE], programme=programme, role=Role.GUIDE, subproject=kirkens_hus
    )
    Membership.objects.create(
        user=logins[Role.USER_REPRESENTATIVE],
        programme=programme,
        role=Role.USER_REPRESENTATIVE,
        organisation=organisations["mentalhelse"],
    )
    extra = {u.email: u for u in User.objects.filter(email__in=[e for e, _ in EXTRA_PEOPLE])}
    per = extra["per.prove@demo.samvirke.test"]
    Membership.objects.create(
        user=per, programme=programme, role=Role.CONTACT_PERSON, subproject=kirkens_hus
    )
    rsmh.contact_person = logins[Role.CONTACT_PERSON]
    rsmh.save(update_fields=["contact_person"])
    kirkens_hus.contact_person = per
    kirkens_hus.save(update_fields=["contact_person"])
    for email, _name in EXTRA_PEOPLE[1:]:
        Membership.objects.create(user=extra[email], programme=programme, role=Role.PARTICIPANT)
    for partnership in Partnership.objects.filter(programme=programme).select_related(
        "organisation"
    ):
        if partnership.organisation.short_name in {"TISIP"}:
            partnership.contact_person = logins[Role.PROGRAMME_LEADER]
        elif partnership.organisation.short_name in {"Östersund"}:
            partnership.contact_person = logins[Role.COORDINATOR]
        elif partnership.organisation.short_name == "RSMH":
            partnership.contact_person = logins[Role.CONTACT_PERSON]
        else:
            continue
        partnership.save(update_fields=["contact_person"])

    # The joint project group: one from each subproject and the user representatives.
    ProjectGroupMember.objects.create(programme=programme, user=logins[Role.PROGRAMME_LEADER])
    ProjectGroupMember.objects.create(programme=programme, user=logins[Role.COORDINATOR])
    ProjectGroupMember.objects.create(
        programme=programme, user=logins[Role.CONTACT_PERSON], subproject=rsmh
    )
    ProjectGroupMember.objects.create(programme=programme, user=per, subproject=kirkens_hus)
    ProjectGroupMember.objects.create(
        programme=programme, user=logins[Role.GUIDE], subproject=subprojects["Nye virksomheter"]
    )
    ProjectGroupMember.objects.create(
        programme=programme,
        user=logins[Role.USER_REPRESENTATIVE],
        subproject=subprojects["Samarbeid med brukerorganisasjoner"],
        is_user_representative=True,
    )
    for subproject in subprojects.values():
        index_subproject(subproject)
    staff = [
        logins[Role.PROGRAMME_LEADER],
        logins[Role.COORDINATOR],
        logins[Role.CONTACT_PERSON],
        per,
    ]
    people = [logins[Role.PARTICIPANT], logins[Role.USER_REPRESENTATIVE], *extra.values()]
    rng = random.Random(2011)  # noqa: S311 - reproducible demo data, not security
    _calendar(programme, list(subprojects.values()), organisations, people, staff, rng)
    _participants(programme, logins, subprojects, organisations)
    members = _rsmh_members(programme, logins, subprojects, organisations)
    _mappings(programme, logins, members)
    load_service_map(programme)
    load_measures(programme)
    load_ventures(programme)
    index_programme(programme)
    record_event(
        action="create",
        actor=Actor.of_user(None),
        obj=programme,
        programme=programme,
        detail={"source": "demo"},
    )


DEMO_PARTICIPANTS = [
    # name, country, birth year, subproject, municipality code, consents
    ("Nora Prøvesen (demo)", "NO", 1988, "Kirkens hus", "5035", ["follow_up", "research"]),
    ("Oskar Oppdiktet (demo)", "NO", 2002, "Kirkens hus", "5035", ["follow_up"]),
    ("Hanna Hypotetisk (demo)", "NO", 1975, "Kirkens hus", "5035", ["follow_up", "research"]),
    (
        "Maja Testsson (demo)",
        "SE",
        1969,
        "RSMH – kartlegging av medlemmenes ressurser",
        "2380",
        ["follow_up", "research", "team_matching"],
    ),
    (
        "Nils Namnlös (demo)",
        "SE",
        1981,
        "RSMH – kartlegging av medlemmenes ressurser",
        "2380",
        ["follow_up", "team_matching"],
    ),
    (
        "Eva Exempelsdotter (demo)",
        "SE",
        1993,
        "RSMH – kartlegging av medlemmenes ressurser",
        "2380",
        ["follow_up"],
    ),
    (
        "Alva Påhittad (demo)",
        "SE",
        2007,
        "RSMH – kartlegging av medlemmenes ressurser",
        "2380",
        ["follow_up"],
    ),
]


def _participants(
    programme: Programme,
    logins: dict[str, User],
    subprojects: dict[str, Subproject],
    organisations: dict[str, Organisation],
) -> None:

    rng = random.Random(7)  # noqa: S311 - reproducible demo data, not security
    for name, country, born, subproject_name, code, purposes in DEMO_PARTICIPANTS:
        account = logins[Role.PARTICIPANT] if name.startswith("Nora") else None
        participant = Participant.objects.create(
            programme=programme,
            pseudonym=new_pseudonym(country),
            country=country,
            birth_year=born,
            gender=rng.choice(["woman", "man", "not_said"]),
            municipality=Municipality.objects.filter(country=country, code=code).first(),
            languages="norsk" if country == "NO" else "svenska",
            account=account,
        )
        subproject = subprojects[subproject_name]
        participant.subprojects.set([subproject])
        if subproject_name == "Kirkens hus":
            participant.guides.set([logins[Role.GUIDE]])
        else:
            participant.organisations.set([organisations["rsmh"]])
        # Nora signs in to the demo with the participant login's address, which her account
        # then holds only as a keyed hash.
        email = account.email if account else f"{name.split()[0].lower()}@demo.samvirke.test"
        _store_identity(participant, Identity(full_name=name, email=email))
        if account is not None:
            bind_confirmed_address(participant=participant, address=email)
        for purpose in purposes:
            give_consent(
                actor=Actor.of_user(logins[Role.COORDINATOR]),
                participant=participant,
                purpose=purpose,
                method="paper",
            )


# What RSMH's member mapping found, as profiles: (how many, job title, ISCO-08 code, skills,
# interests, goals, highest ISCED level). Enough kitchen people to show an enterprise opportunity.
RSMH_PROFILES = [
    (9, "kock", "5120", ["cooking", "food-service"], ["cooking", "culture"], ["enterprise"], "3"),
    (5, "trädgårdsarbetare", "6113", ["gardening"], ["gardening", "outdoor"], ["work"], "3"),
    (4, "snickare", "7115", ["carpentry", "building"], ["building", "repairs"], ["work"], "3"),
    (3, "undersköterska", "5321", ["caring"], ["care"], ["education", "social"], "4"),
    (3, "kontorsassistent", "4110", ["office", "it-support"], ["it", "office"], ["work"], "6"),
    (2, "lastbilschaufför", "8332", ["driving"], ["transport"], ["volunteer"], "4"),
]


def _rsmh_members(
    programme: Programme,
    logins: dict[str, User],
    subprojects: dict[str, Subproject],
    organisations: dict[str, Organisation],
) -> list[Participant]:
    """The members RSMH mapped: pseudonyms and made-up names only."""

    rsmh = subprojects["RSMH – kartlegging av medlemmenes ressurser"]
    östersund = Municipality.objects.filter(country="SE", code="2380").first()
    rng = random.Random(11)  # noqa: S311 - reproducible demo data, not security
    members = []
    number = 0
    for count, *_profile in RSMH_PROFILES:
        for _ in range(count):
            number += 1
            participant = Participant.objects.create(
                programme=programme,
                pseudonym=new_pseudonym("SE"),
                country="SE",
                birth_year=rng.randint(1960, 2003),
                gender=rng.choice(["woman", "man", "not_said"]),
                municipality=östersund,
                languages="svenska",
            )
            participant.subprojects.set([rsmh])
            participant.organisations.set([organisations["rsmh"]])
            _store_identity(participant, Identity(full_name=f"RSMH-medlem {number:02} (demo)"))
            # Most of the kitchen people also said yes to being considered for enterprise teams.
            purposes = ["follow_up", "team_matching"] if number <= 6 else ["follow_up"]
            # Every other member takes part in the evaluation, so the research export has
            # enough people to be made (it refuses fewer than five).
            if number % 2 == 0:
                purposes.append("research")
            for purpose in purposes:
                give_consent(
                    actor=Actor.of_user(logins[Role.CONTACT_PERSON]),
                    participant=participant,
                    purpose=purpose,
                    method="paper",
                )
            members.append(participant)
    return members


def _mappings(programme: Programme, logins: dict[str, User], members: list[Participant]) -> None:
    """A mapping for every demo participant: RSMH members by profile, the others a few each."""

    profiles = [p for p in RSMH_PROFILES for _ in range(p[0])]
    filled_on = dt.date(2012, 9, 1)
    for participant, (_count, title, code, skills, interests, goals, level) in zip(
        members, profiles, strict=True
    ):
        record_mapping(
            actor=Actor.of_user(logins[Role.CONTACT_PERSON]),
            participant=participant,
            filled_by="guide",
            filled_on=filled_on,
            answers=MappingAnswers(
                skill_codes=skills,
                items={"interest": interests, "goal": goals, "resource": ["driving_licence"]},
                work=[WorkEntry(title=title, occupation_code=code, start_year=2001, end_year=2009)],
                education=[EducationEntry(level_code=level)],
                hours_per_week=10,
            ),
        )
    nora = programme.participants.get(account=logins[Role.PARTICIPANT])
    record_mapping(
        actor=Actor.of_user(logins[Role.PARTICIPANT]),
        participant=nora,
        filled_by="self",
        filled_on=dt.date(2012, 3, 15),
        answers=MappingAnswers(
            skill_codes=["baking", "customer-service"],
            other_skills="Strikking",
            items={"interest": ["cooking", "crafts"], "goal": ["work", "social"]},
            languages="norsk, engelsk",
            hours_per_week=8,
            goals_in_own_words="Jobbe i en kafé noen dager i uka.",
            work=[WorkEntry(title="butikkmedarbeider", occupation_code="5223", start_year=2008)],
            education=[EducationEntry(level_code="3", field="Restaurant- og matfag")],
            life_situation=[("housing", "self", "green"), ("network", "self", "yellow")],
        ),
    )


@transaction.atomic
def load_demo() -> tuple[bool, list[DemoLogin]]:
    """Load the demo programmes; returns (whether anything was loaded, the demo logins)."""
    if Programme.objects.filter(slug__in=["integrering-2008", "entreprenorskap-2011"]).exists():
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
    for email, name in EXTRA_PEOPLE:
        _user(email, name)
    organisations = _organisations()
    _load_first(organisations, logins)
    _load_second(organisations, logins)
    return True, DEMO_LOGINS
