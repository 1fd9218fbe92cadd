"""Demo data for the service map and the measures: Trondheim, Stjørdal and Östersund.

Organisations and place names are real; every address, telephone number and e-mail address is
made up (``example.test``, +47 400 00 0xx, +46 70 000 00 xx). Loading again updates in place.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from django.db import transaction

from samvirke.accounts.models import User
from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event
from samvirke.measures.models import (
    Enrolment,
    EnrolmentStatus,
    Measure,
    MeasureKind,
    MeasureStatus,
    Pathway,
    PathwayStep,
    ProviderKind,
    ReferralSource,
    Service,
)
from samvirke.measures.services import (
    add_note,
    change_enrolment_status,
    enrol_participant,
    plan_sessions,
    publish_service_map,
    record_attendance,
)
from samvirke.participants.models import Participant
from samvirke.participants.services import _decrypted_identity
from samvirke.programmes.models import Municipality, Organisation, Programme, Subproject

if TYPE_CHECKING:
    from samvirke.accounts.models import User
    from samvirke.participants.models import Participant

MUNICIPALITIES = {
    "trondheim": ("NO", "5001", "Trondheim", "Trøndelag"),
    "stjordal": ("NO", "5035", "Stjørdal", "Trøndelag"),
    "ostersund": ("SE", "2380", "Östersund", "Jämtlands län"),
}


class Text(NamedTuple):
    nb: str
    sv: str
    en: str


class DemoService(NamedTuple):
    key: str
    municipality: str
    kind: str
    name: Text
    offers: Text
    eligibility: Text
    access: Text
    hours: Text
    address: str
    number: int  # the last digits of the made-up telephone number
    languages: str


WEEKDAYS = Text("Mandag–fredag 09–15", "Måndag–fredag 09–15", "Monday–Friday 9:00–15:00")
NAV_WHO = Text(
    "Alle som bor i kommunen og trenger hjelp til å komme i eller beholde arbeid.",
    "Alla som bor i kommunen och behöver hjälp att få eller behålla ett arbete.",
    "Anyone living in the municipality who needs help to get or keep a job.",
)
NAV_OFFERS = Text(
    "Arbeidsrettet oppfølging med fast veileder, arbeidsevnevurdering, arbeidsavklaringspenger "
    "(AAP), arbeidstrening og arbeidspraksis i ordinær virksomhet, arbeidsforberedende trening "
    "(AFT) og individuell jobbstøtte (IPS) sammen med psykisk helsetjeneste.",
    "Arbetsinriktad uppföljning med fast handläggare, bedömning av arbetsförmåga, "
    "arbeidsavklaringspenger (AAP, ersättning under utredning och rehabilitering), "
    "arbetsträning och arbetspraktik på en vanlig arbetsplats samt individuellt stöd (IPS).",
    "Work-oriented follow-up with a named adviser, work-capacity assessment, work assessment "
    "allowance (AAP), work trials and work practice at an ordinary workplace, work preparation "
    "training and individual placement and support (IPS) with the mental-health service.",
)

SERVICES = [
    DemoService(
        "nav-trondheim",
        "trondheim",
        ProviderKind.NAV,
        Text("NAV Trondheim", "NAV Trondheim", "NAV Trondheim"),
        NAV_OFFERS,
        NAV_WHO,
        Text(
            "Logg inn på nav.no og skriv til veilederen din, eller kom innom NAV-kontoret. "
            "Buss til Prinsens gate.",
            "Logga in på nav.no och skriv till din handläggare, eller besök NAV-kontoret.",
            "Sign in at nav.no and write to your adviser, or drop in at the NAV office.",
        ),
        WEEKDAYS,
        "Eksempelgata 1, 7011 Trondheim",
        1,
        "norsk, English, + tolk ved behov",
    ),
    DemoService(
        "nav-stjordal",
        "stjordal",
        ProviderKind.NAV,
        Text("NAV Stjørdal", "NAV Stjørdal", "NAV Stjørdal"),
        NAV_OFFERS,
        NAV_WHO,
        Text(
            "Fem minutter å gå fra Stjørdal stasjon. Avtal time på nav.no eller ring.",
            "Fem minuters promenad från Stjørdals station. Boka tid på nav.no eller ring.",
            "Five minutes' walk from Stjørdal station. Book at nav.no or call.",
        ),
        WEEKDAYS,
        "Prøvevegen 2, 7500 Stjørdal",
        2,
        "norsk, English",
    ),
    DemoService(
        "psykisk-helse-trondheim",
        "trondheim",
        ProviderKind.MUNICIPAL_MENTAL_HEALTH,
        Text(
            "Trondheim kommune – psykisk helse og rus",
            "Trondheims kommun – psykisk hälsa och missbruk",
            "Trondheim municipality – mental health and substance use",
        ),
        Text(
            "Samtaler, oppfølging i hjemmet, mestringskurs og koordinator for individuell plan. "
            "Samarbeider med NAV om arbeid og aktivitet.",
            "Samtal, stöd i hemmet, kurs i att hantera vardagen och samordnare för individuell "
            "plan. Samarbetar med NAV kring arbete och aktivitet.",
            "Talks, support at home, coping courses and a coordinator for an individual plan. "
            "Works with NAV on work and activity.",
        ),
        Text(
            "Innbyggere i Trondheim over 18 år. Du trenger ikke henvisning.",
            "Invånare i Trondheim över 18 år. Ingen remiss behövs.",
            "Residents of Trondheim over 18. No referral needed.",
        ),
        Text(
            "Ring eller send skjema via kommunens nettside; du får svar innen en uke.",
            "Ring eller skicka formulär via kommunens webbplats; svar inom en vecka.",
            "Call or send the form on the municipality's website; you get an answer within a week.",
        ),
        Text("Mandag–fredag 08–15.30", "Måndag–fredag 08–15.30", "Monday–Friday 8:00–15:30"),
        "Oppdiktet allé 3, 7012 Trondheim",
        3,
        "norsk, English",
    ),
    DemoService(
        "psykisk-helse-stjordal",
        "stjordal",
        ProviderKind.MUNICIPAL_MENTAL_HEALTH,
        Text(
            "Stjørdal kommune – psykisk helsetjeneste",
            "Stjørdals kommun – psykisk hälsovård",
            "Stjørdal municipality – mental-health service",
        ),
        Text(
            "Lavterskel samtaletilbud, oppfølging og aktivitetsgrupper; samarbeider med Kirkens "
            "hus og NAV Stjørdal.",
            "Samtal utan väntetid, uppföljning och aktivitetsgrupper; samarbetar med Kirkens hus "
            "och NAV Stjørdal.",
            "Drop-in talks, follow-up and activity groups; works with Kirkens hus and NAV "
            "Stjørdal.",
        ),
        Text(
            "Alle som bor i Stjørdal. Ingen henvisning.",
            "Alla som bor i Stjørdal. Ingen remiss.",
            "Everyone living in Stjørdal. No referral.",
        ),
        Text(
            "Ring, eller kom på åpen dag hver tirsdag.",
            "Ring, eller kom på öppet hus varje tisdag.",
            "Call, or come to the open day every Tuesday.",
        ),
        WEEKDAYS,
        "Prøvevegen 10, 7500 Stjørdal",
        4,
        "norsk",
    ),
    DemoService(
        "st-olavs-dps",
        "trondheim",
        ProviderKind.HEALTH_TRUST,
        Text(
            "St. Olavs hospital – distriktspsykiatrisk senter (DPS)",
            "St. Olavs hospital – distriktspsykiatriskt center (DPS)",
            "St. Olav's Hospital – community mental-health centre (DPS)",
        ),
        Text(
            "Spesialisthelsetjeneste: utredning og behandling, poliklinikk, dagbehandling og "
            "IPS-jobbspesialist sammen med NAV.",
            "Specialistvård: utredning och behandling, öppenvård, dagvård och IPS-jobbcoach "
            "tillsammans med NAV.",
            "Specialist care: assessment and treatment, outpatient and day treatment, an IPS job "
            "specialist together with NAV.",
        ),
        Text(
            "Med henvisning fra fastlege eller annen lege.",
            "Med remiss från husläkare (fastlege) eller annan läkare.",
            "With a referral from your GP or another doctor.",
        ),
        Text(
            "Fastlegen henviser; du får brev med time.",
            "Husläkaren remitterar; du får en kallelse med tid.",
            "Your GP refers you; you get a letter with an appointment.",
        ),
        Text("Mandag–fredag 08–15", "Måndag–fredag 08–15", "Monday–Friday 8:00–15:00"),
        "Sykehusvegen 5, 7030 Trondheim",
        5,
        "norsk, English, + tolk",
    ),
    DemoService(
        "fontenehuset-trondheim",
        "trondheim",
        ProviderKind.CLUBHOUSE,
        Text("Fontenehuset Trondheim", "Fontänhuset Trondheim", "Trondheim Clubhouse"),
        Text(
            "Et klubbhus der medlemmene driver huset sammen med ansatte: kjøkken, kontor og "
            "kafé, overgangsarbeid (arbeidstrening i ordinære bedrifter) og støtte til utdanning.",
            "Ett klubbhus där medlemmarna driver huset tillsammans med personalen: kök, kontor "
            "och kafé, övergångsarbete (arbetsträning på vanliga företag) och stöd till studier.",
            "A clubhouse run by members and staff together: kitchen, office and café, "
            "transitional employment (work trials at ordinary businesses) and support for study.",
        ),
        Text(
            "Voksne som har eller har hatt psykiske helseproblemer. Medlemskap er gratis og "
            "frivillig.",
            "Vuxna som har eller har haft psykisk ohälsa. Medlemskapet är gratis och frivilligt.",
            "Adults who have or have had mental-health problems. Membership is free and voluntary.",
        ),
        Text(
            "Kom innom på en omvisning, ingen henvisning. Fem minutter fra bussholdeplassen.",
            "Kom förbi för en visning, ingen remiss. Fem minuter från busshållplatsen.",
            "Drop in for a tour, no referral. Five minutes from the bus stop.",
        ),
        Text("Mandag–fredag 08.30–15.30", "Måndag–fredag 08.30–15.30", "Monday–Friday 8:30–15:30"),
        "Fontenegata 6, 7013 Trondheim",
        6,
        "norsk, English",
    ),
    DemoService(
        "kirkens-hus-stjordal",
        "stjordal",
        ProviderKind.VOLUNTARY_ORGANISATION,
        Text("Kirkens hus Stjørdal", "Kirkens hus Stjørdal", "Kirkens hus (Church House) Stjørdal"),
        Text(
            "Et møtested med vanlig sosial kontakt: kafé, felles måltider, aktiviteter og "
            "arbeidstrening i kafeen. Drevet av Kirken, NKS, Mental Helse og kommunen sammen.",
            "En mötesplats med vanlig social kontakt: kafé, gemensamma måltider, aktiviteter och "
            "arbetsträning i kaféet. Drivs av kyrkan, NKS, Mental Helse och kommunen.",
            "A meeting place with ordinary social contact: café, shared meals, activities and "
            "work training in the café. Run by the Church, NKS, Mental Helse and the "
            "municipality.",
        ),
        Text(
            "Alle er velkomne, også med rus- eller psykiske helseproblemer.",
            "Alla är välkomna, även med missbruk eller psykisk ohälsa.",
            "Everyone is welcome, including people with substance or mental-health problems.",
        ),
        Text(
            "Kom innom når det er åpent; ingen påmelding.",
            "Kom förbi när det är öppet; ingen anmälan.",
            "Drop in when it is open; no sign-up.",
        ),
        Text(
            "Tirsdag–fredag 10–14, torsdag også 17–20",
            "Tisdag–fredag 10–14, torsdag även 17–20",
            "Tuesday–Friday 10:00–14:00, Thursday also 17:00–20:00",
        ),
        "Kirkegata 7, 7500 Stjørdal",
        7,
        "norsk",
    ),
    DemoService(
        "mental-helse-trondheim",
        "trondheim",
        ProviderKind.USER_ORGANISATION,
        Text("Mental Helse Trondheim", "Mental Helse Trondheim", "Mental Helse Trondheim"),
        Text(
            "Brukerorganisasjon: likepersoner, samtalegrupper, turgruppe og brukermedvirkning i "
            "kommune og NAV.",
            "Brukarorganisation: stödpersoner med egen erfarenhet, samtalsgrupper, promenadgrupp "
            "och brukarinflytande i kommun och NAV.",
            "User organisation: peer supporters, talk groups, a walking group and user influence "
            "in the municipality and NAV.",
        ),
        Text(
            "Alle som er opptatt av psykisk helse, også pårørende.",
            "Alla som bryr sig om psykisk hälsa, även anhöriga.",
            "Anyone who cares about mental health, relatives too.",
        ),
        Text(
            "Send en e-post eller kom på medlemsmøte første mandag i måneden.",
            "Skicka e-post eller kom på medlemsmöte första måndagen i månaden.",
            "Send an e-mail or come to the members' meeting on the first Monday of the month.",
        ),
        Text("Etter avtale", "Efter överenskommelse", "By appointment"),
        "Frivillighetens hus, Eksempelgata 8, 7011 Trondheim",
        8,
        "norsk",
    ),
    DemoService(
        "innovasjon-norge-trondelag",
        "trondheim",
        ProviderKind.BUSINESS_SUPPORT,
        Text(
            "Innovasjon Norge Trøndelag",
            "Innovasjon Norge Trøndelag",
            "Innovation Norway Trøndelag",
        ),
        Text(
            "Veiledning for etablerere, kurs i forretningsmodell og tilskudd til markedsavklaring "
            "for nye bedrifter.",
            "Rådgivning för nyföretagare, kurs i affärsmodell och bidrag för att pröva "
            "marknaden för nya företag.",
            "Guidance for new founders, business-model courses and grants for testing the market "
            "for new businesses.",
        ),
        Text(
            "Alle som vil starte en bedrift i Trøndelag.",
            "Alla som vill starta företag i Trøndelag.",
            "Anyone starting a business in Trøndelag.",
        ),
        Text(
            "Bestill et veiledningsmøte på nett eller ring.",
            "Boka ett rådgivningsmöte på webben eller ring.",
            "Book an advice meeting online or call.",
        ),
        WEEKDAYS,
        "Gründerveien 9, 7010 Trondheim",
        9,
        "norsk, English",
    ),
    DemoService(
        "frivilligsentral-stjordal",
        "stjordal",
        ProviderKind.VOLUNTARY_ORGANISATION,
        Text(
            "Stjørdal frivilligsentral", "Stjørdals frivilligcentral", "Stjørdal volunteer centre"
        ),
        Text(
            "Formidler frivillig arbeid, turvenn og aktivitetsvenn, språkkafé og møteplasser.",
            "Förmedlar frivilligt arbete, promenadvän och aktivitetsvän, språkkafé och "
            "mötesplatser.",
            "Finds voluntary work, walking and activity buddies, a language café and meeting "
            "places.",
        ),
        Text("Alle.", "Alla.", "Everyone."),
        Text(
            "Ring eller kom innom; sentralen ligger i sentrum.",
            "Ring eller kom förbi; centralen ligger i centrum.",
            "Call or drop in; the centre is in the town centre.",
        ),
        Text("Mandag–torsdag 09–15", "Måndag–torsdag 09–15", "Monday–Thursday 9:00–15:00"),
        "Torget 11, 7500 Stjørdal",
        10,
        "norsk, English, arabisk, tigrinja",
    ),
    DemoService(
        "arbetsformedlingen-ostersund",
        "ostersund",
        ProviderKind.ARBETSFORMEDLINGEN,
        Text(
            "Arbetsförmedlingen Östersund",
            "Arbetsförmedlingen Östersund",
            "Arbetsförmedlingen (Public Employment Service) Östersund",
        ),
        Text(
            "Arbeidsrettet støtte: kartlegging, arbetsträning på en arbeidsplass, «stöd och "
            "matchning» med en leverandør, SIUS-konsulent og lønnstilskudd. Starta eget-bidrag.",
            "Arbetsträning på en arbetsplats, stöd och matchning genom en leverantör, "
            "kartläggning, SIUS-konsulent (särskilt introduktions- och uppföljningsstöd), "
            "lönestöd och stöd till start av näringsverksamhet.",
            "Work trials (arbetsträning) at a workplace, support and matching through a "
            "provider, assessment, SIUS job coach, wage subsidies and support for starting a "
            "business.",
        ),
        Text(
            "Den som er registrert som arbeidssøker; ved nedsatt arbeidsevne også i samarbeid "
            "med Försäkringskassan.",
            "Den som är inskriven som arbetssökande; vid nedsatt arbetsförmåga även i samverkan "
            "med Försäkringskassan.",
            "Anyone registered as a job seeker; with reduced work capacity also together with "
            "Försäkringskassan.",
        ),
        Text(
            "Skriv in deg på arbetsformedlingen.se eller ring; kontoret tar imot etter avtale.",
            "Skriv in dig på arbetsformedlingen.se eller ring; kontoret tar emot efter bokning.",
            "Register at arbetsformedlingen.se or call; the office sees people by appointment.",
        ),
        Text("Etter avtale", "Efter bokning", "By appointment"),
        "Exempelgatan 12, 831 30 Östersund",
        12,
        "svenska, English, + tolk",
    ),
    DemoService(
        "forsakringskassan-ostersund",
        "ostersund",
        ProviderKind.FORSAKRINGSKASSAN,
        Text(
            "Försäkringskassan Östersund",
            "Försäkringskassan Östersund",
            "Försäkringskassan (Social Insurance) Östersund",
        ),
        Text(
            "Sykepenger (sjukpenning), aktivitetsersättning og sjukersättning; "
            "avstemmingsmøte og plan for retur til arbeid sammen med Arbetsförmedlingen.",
            "Sjukpenning, aktivitetsersättning och sjukersättning; avstämningsmöte och plan för "
            "återgång i arbete tillsammans med Arbetsförmedlingen.",
            "Sickness benefit, activity and sickness compensation; a review meeting and a return-"
            "to-work plan together with Arbetsförmedlingen.",
        ),
        Text(
            "Den som er forsikret i Sverige og har nedsatt arbeidsevne på grunn av sykdom.",
            "Den som är försäkrad i Sverige och har nedsatt arbetsförmåga på grund av sjukdom.",
            "Anyone insured in Sweden whose work capacity is reduced by illness.",
        ),
        Text(
            "Søk på forsakringskassan.se; servicekontor i sentrum.",
            "Ansök på forsakringskassan.se; servicekontor i centrum.",
            "Apply at forsakringskassan.se; service office in the town centre.",
        ),
        WEEKDAYS,
        "Prövagatan 13, 831 31 Östersund",
        13,
        "svenska, English, + tolk",
    ),
    DemoService(
        "region-jh-psykiatri",
        "ostersund",
        ProviderKind.HEALTH_TRUST,
        Text(
            "Region Jämtland Härjedalen – psykiatrisk öppenvård",
            "Region Jämtland Härjedalen – psykiatrisk öppenvård",
            "Region Jämtland Härjedalen – outpatient psychiatry",
        ),
        Text(
            "Utredning og behandling, samtaleterapi, IPS-støtte til arbeid sammen med "
            "Arbetsförmedlingen.",
            "Utredning och behandling, samtalsterapi, IPS-stöd till arbete tillsammans med "
            "Arbetsförmedlingen.",
            "Assessment and treatment, talking therapy, IPS support into work with "
            "Arbetsförmedlingen.",
        ),
        Text(
            "Med henvisning fra vårdcentral, eller ta kontakt selv.",
            "Med remiss från vårdcentralen, eller egen vårdbegäran.",
            "With a referral from the health centre, or ask for care yourself.",
        ),
        Text(
            "Kontakt via 1177.se eller vårdcentralen.",
            "Kontakt via 1177.se eller vårdcentralen.",
            "Contact via 1177.se or your health centre.",
        ),
        Text("Måndag–fredag 08–16.30", "Måndag–fredag 08–16.30", "Monday–Friday 8:00–16:30"),
        "Sjukhusvägen 14, 831 83 Östersund",
        14,
        "svenska, English, + tolk",
    ),
    DemoService(
        "rsmh-ostersund",
        "ostersund",
        ProviderKind.USER_ORGANISATION,
        Text("RSMH Östersund", "RSMH Östersund", "RSMH Östersund"),
        Text(
            "Brukerorganisasjon: møteplass med kaffe og aktiviteter, samtalegrupper, "
            "kartlegging av medlemmenes ressurser og prosjekter for egen virksomhet.",
            "Brukarorganisation: mötesplats med fika och aktiviteter, samtalsgrupper, "
            "kartläggning av medlemmarnas resurser och projekt för eget företagande.",
            "User organisation: a meeting place with coffee and activities, talk groups, mapping "
            "of members' resources and projects for starting businesses.",
        ),
        Text(
            "Alle med egen erfaring av psykisk uhelse, og pårørende.",
            "Alla med egen erfarenhet av psykisk ohälsa, och anhöriga.",
            "Anyone with experience of mental ill-health, and relatives.",
        ),
        Text(
            "Kom innom på åpent hus onsdag.",
            "Kom på öppet hus på onsdagar.",
            "Come to the open house on Wednesdays.",
        ),
        Text("Onsdag 13–17", "Onsdag 13–17", "Wednesday 13:00–17:00"),
        "Föreningsgatan 15, 831 32 Östersund",
        15,
        "svenska",
    ),
    DemoService(
        "almi-mitt",
        "ostersund",
        ProviderKind.BUSINESS_SUPPORT,
        Text("Almi Mitt", "Almi Mitt", "Almi Mitt (business support)"),
        Text(
            "Rådgivning når du starter bedrift, forretningsplan, lån og kurs.",
            "Rådgivning när du startar företag, affärsplan, lån och kurser.",
            "Advice on starting a business, business plans, loans and courses.",
        ),
        Text(
            "Alle som vil starte eller utvikle en bedrift i Jämtland.",
            "Alla som vill starta eller utveckla ett företag i Jämtland.",
            "Anyone starting or growing a business in Jämtland.",
        ),
        Text(
            "Bestill et første møte på almi.se eller ring.",
            "Boka ett första möte på almi.se eller ring.",
            "Book a first meeting at almi.se or call.",
        ),
        WEEKDAYS,
        "Företagsgatan 16, 831 33 Östersund",
        16,
        "svenska, English",
    ),
    DemoService(
        "ostersund-traffpunkt",
        "ostersund",
        ProviderKind.MUNICIPAL_MENTAL_HEALTH,
        Text(
            "Östersunds kommun – socialpsykiatri og treffpunkt",
            "Östersunds kommun – socialpsykiatri och träffpunkt",
            "Östersund municipality – community psychiatry and drop-in centre",
        ),
        Text(
            "Boendestøtte, sysselsetting og et åpent treffpunkt med lunsj og aktiviteter.",
            "Boendestöd, sysselsättning och en öppen träffpunkt med lunch och aktiviteter.",
            "Housing support, daytime activity and an open drop-in centre with lunch and "
            "activities.",
        ),
        Text(
            "Voksne i Östersund med psykisk funksjonsnedsettelse; treffpunkten er åpen for alle.",
            "Vuxna i Östersund med psykisk funktionsnedsättning; träffpunkten är öppen för alla.",
            "Adults in Östersund with a psychiatric disability; the drop-in is open to all.",
        ),
        Text(
            "Treffpunkten: kom innom. Annen støtte: kontakt kommunens mottak.",
            "Träffpunkten: kom förbi. Annat stöd: kontakta kommunens mottagning.",
            "The drop-in: just come. Other support: contact the municipality's reception.",
        ),
        Text("Mandag–fredag 10–15", "Måndag–fredag 10–15", "Monday–Friday 10:00–15:00"),
        "Träffvägen 17, 831 34 Östersund",
        17,
        "svenska",
    ),
]


class DemoStep(NamedTuple):
    title: Text
    text: Text
    service: str  # a DemoService key, or ""


class DemoPathway(NamedTuple):
    situation: str
    country: str
    title: Text
    summary: Text
    steps: list[DemoStep]


PATHWAYS = [
    DemoPathway(
        "sick-leave-to-work-trial",
        "NO",
        Text(
            "Fra sykmelding til arbeidstrening",
            "Från sjukskrivning till arbetsträning (Norge)",
            "From sick leave to a work trial (Norway)",
        ),
        Text(
            "Slik går veien i Norge fra sykmelding via arbeidsavklaringspenger til arbeidstrening.",
            "Så går vägen i Norge från sjukskrivning via AAP till arbetsträning.",
            "The way in Norway from sick leave, through work assessment allowance, to a work "
            "trial.",
        ),
        [
            DemoStep(
                Text(
                    "Sykmelding fra fastlegen",
                    "Sjukskrivning av husläkaren",
                    "Sick leave from your GP",
                ),
                Text(
                    "Fastlegen sykmelder og kan henvise til DPS ved behov.",
                    "Husläkaren sjukskriver och kan remittera till DPS vid behov.",
                    "Your GP signs you off sick and can refer you to the DPS if needed.",
                ),
                "st-olavs-dps",
            ),
            DemoStep(
                Text(
                    "Dialogmøte og oppfølging i NAV",
                    "Dialogmöte och uppföljning hos NAV",
                    "Dialogue meeting and follow-up at NAV",
                ),
                Text(
                    "Etter seks til sju uker: dialogmøte med arbeidsgiver og NAV. Etter ett år "
                    "kan du søke arbeidsavklaringspenger (AAP).",
                    "Efter sex till sju veckor: dialogmöte med arbetsgivare och NAV. Efter ett "
                    "år kan du söka AAP.",
                    "After six to seven weeks: a dialogue meeting with the employer and NAV. "
                    "After a year you can apply for work assessment allowance (AAP).",
                ),
                "nav-trondheim",
            ),
            DemoStep(
                Text(
                    "Arbeidsevnevurdering og aktivitetsplan",
                    "Bedömning av arbetsförmåga och aktivitetsplan",
                    "Work-capacity assessment and activity plan",
                ),
                Text(
                    "Veilederen og du lager en plan; psykisk helsetjeneste kan være med.",
                    "Handläggaren och du gör en plan; den kommunala psykiatrin kan vara med.",
                    "You and your adviser make a plan; the mental-health service can join.",
                ),
                "psykisk-helse-trondheim",
            ),
            DemoStep(
                Text("Arbeidstrening", "Arbetsträning", "Work trial"),
                Text(
                    "Arbeidstrening eller arbeidspraksis i en vanlig bedrift, eller "
                    "overgangsarbeid gjennom Fontenehuset, med AAP som inntekt.",
                    "Arbetsträning eller arbetspraktik på ett vanligt företag, eller "
                    "övergångsarbete genom Fontänhuset, med AAP som inkomst.",
                    "A work trial or work practice at an ordinary business, or transitional "
                    "employment through the Clubhouse, with AAP as income.",
                ),
                "fontenehuset-trondheim",
            ),
        ],
    ),
    DemoPathway(
        "sick-leave-to-work-trial",
        "SE",
        Text(
            "Från sjukskrivning till arbetsträning",
            "Från sjukskrivning till arbetsträning",
            "From sick leave to a work trial (Sweden)",
        ),
        Text(
            "Slik går veien i Sverige fra sjukpenning via samarbeid mellom Försäkringskassan og "
            "Arbetsförmedlingen til arbetsträning.",
            "Så går vägen i Sverige från sjukpenning via samverkan mellan Försäkringskassan och "
            "Arbetsförmedlingen till arbetsträning.",
            "The way in Sweden from sickness benefit, through Försäkringskassan and "
            "Arbetsförmedlingen working together, to a work trial.",
        ),
        [
            DemoStep(
                Text(
                    "Legeerklæring fra vårdcentralen",
                    "Läkarintyg från vårdcentralen",
                    "Medical certificate from the health centre",
                ),
                Text(
                    "Vårdcentralen skriver läkarintyg og kan henvise til psykiatrien.",
                    "Vårdcentralen skriver läkarintyg och kan remittera till psykiatrin.",
                    "The health centre writes a certificate and can refer you to psychiatry.",
                ),
                "region-jh-psykiatri",
            ),
            DemoStep(
                Text(
                    "Sjukpenning og avstämningsmöte",
                    "Sjukpenning och avstämningsmöte",
                    "Sickness benefit and review meeting",
                ),
                Text(
                    "Försäkringskassan utbetaler sjukpenning og kaller inn til avstämningsmöte.",
                    "Försäkringskassan betalar sjukpenning och kallar till avstämningsmöte.",
                    "Försäkringskassan pays sickness benefit and calls a review meeting.",
                ),
                "forsakringskassan-ostersund",
            ),
            DemoStep(
                Text(
                    "Kartlegging hos Arbetsförmedlingen",
                    "Kartläggning hos Arbetsförmedlingen",
                    "Assessment at Arbetsförmedlingen",
                ),
                Text(
                    "I felles kartlegging finner dere ut hva som skal til for å komme tilbake.",
                    "I en gemensam kartläggning tar ni reda på vad som behövs för att komma "
                    "tillbaka.",
                    "A joint assessment finds out what it takes to get back to work.",
                ),
                "arbetsformedlingen-ostersund",
            ),
            DemoStep(
                Text("Arbetsträning", "Arbetsträning", "Work trial"),
                Text(
                    "Arbetsträning på en arbetsplats, ofte med stöd och matchning eller en "
                    "SIUS-konsulent.",
                    "Arbetsträning på en arbetsplats, ofta med stöd och matchning eller en "
                    "SIUS-konsulent.",
                    "A work trial at a workplace, often with support and matching or a SIUS job "
                    "coach.",
                ),
                "arbetsformedlingen-ostersund",
            ),
        ],
    ),
    DemoPathway(
        "business-while-on-benefits",
        "NO",
        Text(
            "Starte bedrift mens du får ytelser",
            "Starta företag medan du får ersättning (Norge)",
            "Starting a business while receiving benefits (Norway)",
        ),
        Text(
            "AAP kan i en periode gis mens du etablerer egen virksomhet.",
            "I Norge kan AAP under en period ges medan du startar eget.",
            "In Norway, AAP can be paid for a period while you establish your own business.",
        ),
        [
            DemoStep(
                Text(
                    "Snakk med NAV-veilederen",
                    "Prata med din NAV-handläggare",
                    "Talk to your NAV adviser",
                ),
                Text(
                    "Etablering må stå i aktivitetsplanen før du starter.",
                    "Etableringen måste stå i aktivitetsplanen innan du startar.",
                    "Starting up must be in your activity plan before you begin.",
                ),
                "nav-stjordal",
            ),
            DemoStep(
                Text("Etablererveiledning", "Rådgivning för nyföretagare", "Start-up guidance"),
                Text(
                    "Forretningsmodell, budsjett og mulige tilskudd.",
                    "Affärsmodell, budget och möjliga bidrag.",
                    "Business model, budget and possible grants.",
                ),
                "innovasjon-norge-trondelag",
            ),
            DemoStep(
                Text(
                    "Finn et team og en likeperson",
                    "Hitta ett team och en stödperson",
                    "Find a team and a peer",
                ),
                Text(
                    "Brukerorganisasjonen har nettverk av andre som har startet noe selv.",
                    "Brukarorganisationen har nätverk av andra som har startat eget.",
                    "The user organisation has a network of people who started something "
                    "themselves.",
                ),
                "mental-helse-trondheim",
            ),
        ],
    ),
    DemoPathway(
        "business-while-on-benefits",
        "SE",
        Text(
            "Starta företag medan du får ersättning",
            "Starta företag medan du får ersättning",
            "Starting a business while receiving benefits (Sweden)",
        ),
        Text(
            "Arbetsförmedlingen kan gi støtte til start av næringsvirksomhet i opptil seks "
            "måneder.",
            "Arbetsförmedlingen kan ge stöd till start av näringsverksamhet i upp till sex "
            "månader.",
            "Arbetsförmedlingen can support you for up to six months while you start a business.",
        ),
        [
            DemoStep(
                Text(
                    "Snakk med Arbetsförmedlingen",
                    "Prata med Arbetsförmedlingen",
                    "Talk to Arbetsförmedlingen",
                ),
                Text(
                    "Forretningsplanen vurderes før støtte til start av næringsvirksomhet.",
                    "Affärsplanen bedöms innan stöd till start av näringsverksamhet.",
                    "Your business plan is assessed before start-up support is granted.",
                ),
                "arbetsformedlingen-ostersund",
            ),
            DemoStep(
                Text("Rådgivning hos Almi", "Rådgivning hos Almi", "Advice from Almi"),
                Text(
                    "Hjelp med forretningsplanen og finansiering.",
                    "Hjälp med affärsplanen och finansiering.",
                    "Help with the business plan and financing.",
                ),
                "almi-mitt",
            ),
            DemoStep(
                Text(
                    "Meld endringen til Försäkringskassan",
                    "Meddela Försäkringskassan",
                    "Tell Försäkringskassan",
                ),
                Text(
                    "Inntekt fra virksomheten kan endre ersättningen.",
                    "Inkomst från verksamheten kan ändra ersättningen.",
                    "Income from the business can change your benefit.",
                ),
                "forsakringskassan-ostersund",
            ),
            DemoStep(
                Text("Nettverk i RSMH", "Nätverk i RSMH", "A network in RSMH"),
                Text(
                    "Andre medlemmer som starter eget.",
                    "Andra medlemmar som startar eget.",
                    "Other members starting businesses.",
                ),
                "rsmh-ostersund",
            ),
        ],
    ),
    DemoPathway(
        "finding-a-meeting-place",
        "NO",
        Text(
            "Finne et møtested", "Hitta en mötesplats (Norge)", "Finding a meeting place (Norway)"
        ),
        Text(
            "Steder der du kan komme innom, uten henvisning.",
            "Ställen där du kan komma förbi, utan remiss.",
            "Places you can drop in to, without a referral.",
        ),
        [
            DemoStep(
                Text("Kafé på Kirkens hus", "Kafé på Kirkens hus", "The café at Kirkens hus"),
                Text(
                    "Kom innom til kaffe og felles lunsj.",
                    "Kom förbi på fika och gemensam lunch.",
                    "Drop in for coffee and a shared lunch.",
                ),
                "kirkens-hus-stjordal",
            ),
            DemoStep(
                Text("Bli med i frivillig arbeid", "Bli volontär", "Try voluntary work"),
                Text(
                    "Frivilligsentralen finner en aktivitet som passer deg.",
                    "Frivilligcentralen hittar en aktivitet som passar dig.",
                    "The volunteer centre finds an activity that suits you.",
                ),
                "frivilligsentral-stjordal",
            ),
            DemoStep(
                Text("Bli medlem i Fontenehuset", "Bli medlem i Fontänhuset", "Join the Clubhouse"),
                Text(
                    "En arbeidsrettet dag i fellesskap.",
                    "En arbetsinriktad dag i gemenskap.",
                    "A work-ordered day together with others.",
                ),
                "fontenehuset-trondheim",
            ),
        ],
    ),
    DemoPathway(
        "finding-a-meeting-place",
        "SE",
        Text("Hitta en mötesplats", "Hitta en mötesplats", "Finding a meeting place (Sweden)"),
        Text(
            "Steder i Östersund der du kan komme innom.",
            "Ställen i Östersund där du kan komma förbi.",
            "Places in Östersund you can drop in to.",
        ),
        [
            DemoStep(
                Text("Treffpunkten", "Träffpunkten", "The drop-in centre"),
                Text(
                    "Lunsj og aktiviteter på hverdager.",
                    "Lunch och aktiviteter på vardagar.",
                    "Lunch and activities on weekdays.",
                ),
                "ostersund-traffpunkt",
            ),
            DemoStep(
                Text("Åpent hus i RSMH", "Öppet hus i RSMH", "Open house at RSMH"),
                Text(
                    "Fika og samtalegrupper med folk med egen erfaring.",
                    "Fika och samtalsgrupper med människor med egen erfarenhet.",
                    "Coffee and talk groups with people who have been there.",
                ),
                "rsmh-ostersund",
            ),
        ],
    ),
]


def _municipalities() -> dict[str, Municipality]:
    found = {}
    for key, (country, code, name, county) in MUNICIPALITIES.items():
        found[key], _ = Municipality.objects.get_or_create(
            country=country, code=code, defaults={"name": name, "county": county}
        )
    return found


def _translated(prefix: str, text: Text) -> dict[str, str]:
    return {f"{prefix}_nb": text.nb, f"{prefix}_sv": text.sv, f"{prefix}_en": text.en}


def _phone(country: str, number: int) -> str:
    return f"+47 400 00 {number:03d}" if country == "NO" else f"+46 70 000 00 {number:02d}"


@transaction.atomic
def load_service_map(programme: Programme) -> None:
    """The service map of Trondheim, Stjørdal and Östersund, published; safe to run again."""
    municipalities = _municipalities()
    services: dict[str, Service] = {}
    for demo in SERVICES:
        municipality = municipalities[demo.municipality]
        services[demo.key], _ = Service.objects.update_or_create(
            programme=programme,
            name_nb=demo.name.nb,
            defaults={
                "country": municipality.country,
                "municipality": municipality,
                "provider_kind": demo.kind,
                **_translated("name", demo.name),
                **_translated("offers", demo.offers),
                **_translated("eligibility", demo.eligibility),
                **_translated("access", demo.access),
                **_translated("opening_hours", demo.hours),
                "address": demo.address,
                "phone": _phone(municipality.country, demo.number),
                "email": f"{demo.key}@example.test",
                "languages": demo.languages,
            },
        )
    for demo_pathway in PATHWAYS:
        pathway, _ = Pathway.objects.update_or_create(
            programme=programme,
            situation=demo_pathway.situation,
            country=demo_pathway.country,
            defaults={
                **_translated("title", demo_pathway.title),
                **_translated("summary", demo_pathway.summary),
            },
        )
        for position, step in enumerate(demo_pathway.steps, start=1):
            PathwayStep.objects.update_or_create(
                pathway=pathway,
                position=position,
                defaults={
                    **_translated("title", step.title),
                    **_translated("text", step.text),
                    "service": services.get(step.service),
                },
            )
        pathway.steps.filter(position__gt=len(demo_pathway.steps)).delete()
    publish_service_map(actor=Actor.of_user(None), programme=programme, published=True)
    record_event(
        action=AuditAction.CREATE,
        actor=Actor.of_user(None),
        programme=programme,
        object_type="measures.service",
        object_label="service map",
        detail={"source": "demo", "services": len(SERVICES), "pathways": len(PATHWAYS)},
    )


# --- Measures, enrolments and attendance ---------------------------------------------------------


class DemoMeasure(NamedTuple):
    key: str
    municipality: str
    subproject: str
    partners: list[str]  # organisations' short names
    kind: str
    status: str
    language: str
    capacity: int | None
    weekday: int
    time: dt.time
    minutes: int
    place: str
    name: Text
    description: Text
    method: str
    effect: str
    target_group: str


KIRKENS_HUS = "Kirkens hus"
RSMH = "RSMH – kartlegging av medlemmenes ressurser"
FIRST_DAY, LAST_DAY = dt.date(2013, 9, 2), dt.date(2014, 6, 27)

MEASURES = [
    DemoMeasure(
        "kafe",
        "stjordal",
        KIRKENS_HUS,
        ["NKS", "Kirken", "Stjørdal"],
        MeasureKind.WORK_TRAINING,
        MeasureStatus.RUNNING,
        "nb",
        4,
        1,
        dt.time(10, 0),
        240,
        "Kirkens hus, Stjørdal",
        Text(
            "Arbeidstrening på Kirkens hus kafé",
            "Arbetsträning på Kirkens hus kafé",
            "Work training at the Kirkens hus café",
        ),
        Text(
            "Servering, kasse og kjøkken i kafeen på Kirkens hus, én dag i uka med en fast "
            "veileder.",
            "Servering, kassa och kök i kaféet på Kirkens hus, en dag i veckan med en fast "
            "handledare.",
            "Serving, till and kitchen in the Kirkens hus café, one day a week with a guide.",
        ),
        "Praktiske oppgaver i et ekte kafédrift, med gradvis mer ansvar.",
        "Mestring, arbeidsvaner og en vei videre til arbeid eller utdanning.",
        "Voksne med psykiske helseproblemer eller rusproblemer i Stjørdal.",
    ),
    DemoMeasure(
        "treff",
        "stjordal",
        KIRKENS_HUS,
        ["NKS", "Mental Helse", "Kirken"],
        MeasureKind.MEETING_PLACE,
        MeasureStatus.RUNNING,
        "nb",
        None,
        3,
        dt.time(12, 0),
        180,
        "Kirkens hus, Stjørdal",
        Text("Brukertreff / møteplass", "Brukarträff / mötesplats", "User meeting / drop-in"),
        Text(
            "Et åpent møtested med lunsj, samtaler og aktiviteter som deltakerne velger selv.",
            "En öppen mötesplats med lunch, samtal och aktiviteter som deltagarna väljer själva.",
            "An open meeting place with lunch, conversation and activities chosen by those who "
            "come.",
        ),
        "Lavterskel: ingen påmelding, frivillige og ansatte sammen.",
        "Normalisert sosial kontakt og et nettverk.",
        "Alle som ønsker et sted å være, særlig de som står utenfor arbeid.",
    ),
    DemoMeasure(
        "kurs",
        "trondheim",
        "Nye virksomheter",
        ["Trondheim", "Innovasjon Norge"],
        MeasureKind.COURSE,
        MeasureStatus.ENDED,
        "nb",
        12,
        2,
        dt.time(18, 0),
        120,
        "Trondheim bibliotek",
        Text(
            "Kurs: Å starte egen virksomhet",
            "Kurs: Att starta eget företag",
            "Course: Starting your own business",
        ),
        Text(
            "Ti kvelder om forretningsidé, organisasjonsform, budsjett og støtteordninger.",
            "Tio kvällar om affärsidé, företagsform, budget och stöd.",
            "Ten evenings on the business idea, legal form, budget and support schemes.",
        ),
        "Undervisning, egne idéer og besøk fra Innovasjon Norge.",
        "Flere prøver ut en egen forretningsidé.",
        "Deltakere med en idé om egen virksomhet eller sosialt entreprenørskap.",
    ),
    DemoMeasure(
        "studiesirkel",
        "trondheim",
        "Samarbeid med brukerorganisasjoner",
        ["Mental Helse"],
        MeasureKind.STUDY_CIRCLE,
        MeasureStatus.PILOTING,
        "nb",
        8,
        0,
        dt.time(17, 0),
        120,
        "Mental Helse, Trondheim",
        Text("Studiesirkel: egen bedrift", "Studiecirkel: eget företag", "Study circle: own firm"),
        Text(
            "En liten gruppe som leser og diskuterer sammen og lager hver sin plan.",
            "En liten grupp som läser och diskuterar tillsammans och gör var sin plan.",
            "A small group that reads and discusses together and makes a plan each.",
        ),
        "Likemannsledet studiesirkel med materiell fra Innovasjon Norge.",
        "Trygghet og kunnskap til å ta et første steg.",
        "Medlemmer av brukerorganisasjonene.",
    ),
    DemoMeasure(
        "cafe",
        "ostersund",
        RSMH,
        ["RSMH", "Östersund"],
        MeasureKind.WORK_TRAINING,
        MeasureStatus.RUNNING,
        "sv",
        2,
        2,
        dt.time(9, 0),
        240,
        "RSMH:s café, Östersund",
        Text(
            "Arbeidstrening på RSMH:s kafé",
            "Arbetsträning på RSMH:s café",
            "Work training at RSMH's café",
        ),
        Text(
            "Kafé som drives av medlemmer, med handledare og arbetsträning i kök och servering.",
            "Kafé som drivs av medlemmar, med handledare och arbetsträning i kök och servering.",
            "A café run by members, with a guide and work training in kitchen and service.",
        ),
        "Arbeidstrening i et sosialt foretak under oppbygging.",
        "Erfaring som kan føre til ansettelse i det sosiale foretaket.",
        "RSMH-medlemmer som vil tilbake til arbeid.",
    ),
    DemoMeasure(
        "kamratstod",
        "ostersund",
        RSMH,
        ["RSMH"],
        MeasureKind.PEER_SUPPORT,
        MeasureStatus.PAUSED,
        "sv",
        8,
        4,
        dt.time(13, 0),
        90,
        "RSMH Östersund",
        Text("Likepersonsstøtte: samtalegruppe", "Kamratstöd: samtalsgrupp", "Peer support group"),
        Text(
            "Samtalegruppe ledet av en med egen erfaring.",
            "Samtalsgrupp ledd av någon med egen erfarenhet.",
            "A talking group led by someone with lived experience.",
        ),
        "Erfaringsbasert likepersonsarbeid.",
        "Mindre ensomhet og mer håp.",
        "Medlemmer som ønsker å dele erfaringer.",
    ),
]

# (measure, participant's demo name, referred by, guide e-mail, [(status, date, reason)])
ENROLMENTS: list[tuple[str, str, str, str, list[tuple[str, dt.date, str]]]] = [
    (
        "kafe",
        "Nora Prøvesen (demo)",
        ReferralSource.NAV,
        "veileder@demo.samvirke.test",
        [("active", dt.date(2013, 9, 3), "")],
    ),
    (
        "treff",
        "Nora Prøvesen (demo)",
        ReferralSource.SELF,
        "veileder@demo.samvirke.test",
        [("active", dt.date(2013, 9, 5), "")],
    ),
    (
        "kafe",
        "Oskar Oppdiktet (demo)",
        ReferralSource.MUNICIPAL,
        "veileder@demo.samvirke.test",
        [("active", dt.date(2013, 9, 10), "")],
    ),
    (
        "kafe",
        "Hanna Hypotetisk (demo)",
        ReferralSource.HEALTH,
        "veileder@demo.samvirke.test",
        [("active", dt.date(2013, 9, 3), ""), ("dropped_out", dt.date(2013, 10, 8), "health")],
    ),
    (
        "treff",
        "Hanna Hypotetisk (demo)",
        ReferralSource.SELF,
        "veileder@demo.samvirke.test",
        [("active", dt.date(2013, 9, 5), "")],
    ),
    (
        "cafe",
        "Maja Testsson (demo)",
        ReferralSource.ARBETSFORMEDLINGEN,
        "kontakt@demo.samvirke.test",
        [("active", dt.date(2013, 9, 4), "")],
    ),
    (
        "cafe",
        "Nils Namnlös (demo)",
        ReferralSource.USER_ORGANISATION,
        "kontakt@demo.samvirke.test",
        [("active", dt.date(2013, 9, 4), "")],
    ),
    (
        "cafe",
        "Eva Exempelsdotter (demo)",
        ReferralSource.USER_ORGANISATION,
        "kontakt@demo.samvirke.test",
        [],
    ),
    (
        "kamratstod",
        "Alva Påhittad (demo)",
        ReferralSource.SELF,
        "kontakt@demo.samvirke.test",
        [],
    ),
]
ATTENDED_SESSIONS = 8  # the first weeks of each measure have attendance recorded
NOTE = (
    "Trives godt i kafeen og tar mer ansvar ved kassa. Ønsker å prøve kjøkkenet neste måned; "
    "avtalt oppfølgingssamtale med NAV-veileder."
)


@transaction.atomic
def load_measures(programme: Programme) -> None:
    """Six measures in Trondheim, Stjørdal and Östersund with sessions; enrolments, attendance
    and one note for the demo participants. Safe to run again."""

    municipalities = _municipalities()
    organisations = {
        o.short_name: o for o in Organisation.objects.filter(partnerships__programme=programme)
    }
    measures: dict[str, Measure] = {}
    for demo in MEASURES:
        municipality = municipalities[demo.municipality]
        measure, _ = Measure.objects.update_or_create(
            programme=programme,
            name_nb=demo.name.nb,
            defaults={
                **_translated("name", demo.name),
                **_translated("description", demo.description),
                "kind": demo.kind,
                "status": demo.status,
                "language": demo.language,
                "subproject": Subproject.objects.get(programme=programme, name=demo.subproject),
                "country": municipality.country,
                "municipality": municipality,
                "place": demo.place,
                "capacity": demo.capacity,
                "weekday": demo.weekday,
                "starts_at": demo.time,
                "duration_minutes": demo.minutes,
                "first_date": FIRST_DAY,
                "last_date": LAST_DAY,
                "method": demo.method,
                "intended_effect": demo.effect,
                "target_group": demo.target_group,
            },
        )
        measure.partners.set([organisations[n] for n in demo.partners if n in organisations])
        measure.goals.set(programme.goals.all()[:1])
        plan_sessions(actor=Actor.of_user(None), measure=measure)
        measures[demo.key] = measure
    if Enrolment.objects.filter(measure__programme=programme).exists():
        return
    people = _demo_participants(programme)
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.samvirke.test")}
    enrolled: list[Enrolment] = []
    for key, name, source, guide_email, steps in ENROLMENTS:
        if name not in people:
            continue
        guide = users[guide_email]
        measure = measures[key]
        enrolment = enrol_participant(
            actor=Actor.of_user(guide),
            measure=measure,
            participant=people[name],
            referral_source=source,
            referred_on=FIRST_DAY - dt.timedelta(days=14),
            guide=guide,
        )
        for status, on, reason in steps:
            enrolment = change_enrolment_status(
                actor=Actor.of_user(guide),
                enrolment=enrolment,
                status=status,
                on=on,
                reason_code=reason,
            )
        enrolled.append(enrolment)
    _attendance(measures, enrolled, users)
    nora_in_cafe = next(e for e in enrolled if e.measure == measures["kafe"])
    add_note(
        actor=Actor.of_user(users["veileder@demo.samvirke.test"]),
        enrolment=nora_in_cafe,
        text=NOTE,
    )


def _demo_participants(programme: Programme) -> dict[str, Participant]:
    """The named demo participants, found by their (made-up) names."""

    found = {}
    for participant in Participant.objects.filter(programme=programme, identity__isnull=False):
        name = _decrypted_identity(participant).full_name
        if not name.startswith("RSMH-medlem"):
            found[name] = participant
    return found


def _attendance(
    measures: dict[str, Measure], enrolled: list[Enrolment], users: dict[str, User]
) -> None:
    """Attendance for the first weeks: mostly present, now and then away for a reason."""
    reasons = ["ill", "appointment", "work", "no_show"]
    for measure in measures.values():
        mine = [e for e in enrolled if e.measure_id == measure.pk]
        if not mine:
            continue
        recorder = mine[0].guide
        for number, session in enumerate(
            measure.sessions.order_by("starts_at")[:ATTENDED_SESSIONS]
        ):
            marks: dict[int, tuple[bool | None, str]] = {}
            for index, enrolment in enumerate(mine):
                started = enrolment.started_on or enrolment.referred_on
                ended = enrolment.ended_on
                day = session.starts_at.date()
                if (
                    day < started
                    or (ended and day > ended)
                    or enrolment.status == EnrolmentStatus.WAITING
                ):
                    continue
                away = (number + index) % 5 == 4
                marks[enrolment.pk] = (not away, reasons[(number + index) % 4] if away else "")
            if marks and recorder is not None:
                record_attendance(actor=Actor.of_user(recorder), session=session, marks=marks)
