"""The checklists a programme starts from: per country and stage, in Norwegian, Swedish, English.

These are content, not interface text: once seeded into a programme they are the coordinator's
to add to, rename, reorder and retire (``ChecklistTemplateItem``), each item holding its own
wording in the three languages. They are therefore not in the translation catalogues, where a
coordinator could not change them; a pure-data module that the seeding service and the data
migration both read. No Django here.

Each entry is (English, Norwegian Bokmål, Swedish).
"""

from __future__ import annotations

Text = tuple[str, str, str]

NORWAY: dict[str, tuple[Text, ...]] = {
    "idea": (
        (
            "Describe the idea in a few sentences: what, for whom, and why it matters",
            "Beskriv idéen med noen setninger: hva, for hvem og hvorfor det betyr noe",
            "Beskriv idén med några meningar: vad, för vem och varför den är viktig",
        ),
        (
            "Talk to the NAV counsellor about how starting a business can affect benefits "
            "(work assessment allowance, disability benefit)",
            "Snakk med NAV-veilederen om hvordan en etablering kan påvirke ytelser "
            "(arbeidsavklaringspenger, uføretrygd)",
            "Tala med NAV-handläggaren om hur ett företag kan påverka ersättningar "
            "(arbeidsavklaringspenger, uføretrygd)",
        ),
        (
            "Book free start-up guidance (the municipality's etablerertjeneste, Innovasjon Norge)",
            "Bestill gratis etablererveiledning (kommunens etablerertjeneste, Innovasjon Norge)",
            "Boka kostnadsfri rådgivning för nyföretagare (kommunens etablerertjeneste, "
            "Innovasjon Norge)",
        ),
    ),
    "clarification": (
        (
            "Choose a legal form (AS, ENK, SA, stiftelse, forening) and what it means for "
            "liability",
            "Velg selskapsform (AS, ENK, SA, stiftelse, forening) og finn ut hva den betyr for "
            "ansvaret",
            "Välj företagsform (AS, ENK, SA, stiftelse, forening) och ta reda på vad den betyder "
            "för ansvaret",
        ),
        (
            "Check that the name is free in Brønnøysundregistrene",
            "Sjekk at navnet er ledig i Brønnøysundregistrene",
            "Kontrollera att namnet är ledigt i Brønnøysundregistrene",
        ),
        (
            "Find out whether the activity needs a permit (food: Mattilsynet; serving; transport)",
            "Finn ut om virksomheten trenger tillatelse (mat: Mattilsynet; servering; transport)",
            "Ta reda på om verksamheten behöver tillstånd (livsmedel: Mattilsynet; servering; "
            "transport)",
        ),
    ),
    "team": (
        (
            "Agree in writing on each member's role and hours",
            "Bli enige skriftlig om rollen og timene til hvert medlem",
            "Kom överens skriftligt om varje medlems roll och timmar",
        ),
        (
            "Agree on how decisions are made and how income is shared",
            "Bli enige om hvordan beslutninger tas og hvordan inntekter deles",
            "Kom överens om hur beslut fattas och hur intäkter delas",
        ),
        (
            "Each member checks with NAV how the work affects their benefits",
            "Hvert medlem avklarer med NAV hvordan arbeidet påvirker ytelsene deres",
            "Varje medlem stämmer av med NAV hur arbetet påverkar deras ersättningar",
        ),
    ),
    "business_plan": (
        (
            "Write the business plan with a budget and a liquidity plan",
            "Skriv forretningsplanen med budsjett og likviditetsplan",
            "Skriv affärsplanen med budget och likviditetsplan",
        ),
        (
            "Ask Skatteetaten about tax: advance tax (forskuddsskatt) and bookkeeping duties",
            "Avklar skatt med Skatteetaten: forskuddsskatt og bokføringsplikt",
            "Stäm av skatten med Skatteetaten: forskuddsskatt och bokföringsplikt",
        ),
        (
            "Find out whether the business must register for VAT (over NOK 50,000 in sales "
            "in 12 months)",
            "Finn ut om virksomheten må registreres i Merverdiavgiftsregisteret (over 50 000 "
            "kroner i omsetning på 12 måneder)",
            "Ta reda på om verksamheten måste registreras för moms i Merverdiavgiftsregisteret "
            "(över 50 000 norska kronor i omsättning på 12 månader)",
        ),
        (
            "Get quotes for insurance: liability, contents, occupational injury (required with "
            "employees)",
            "Hent tilbud på forsikring: ansvar, innbo/løsøre, yrkesskade (påbudt med ansatte)",
            "Begär offerter på försäkring: ansvar, inventarier, arbetsskada (obligatorisk med "
            "anställda)",
        ),
        (
            "Apply for start-up funding (Innovasjon Norge, the municipality, NAV's support "
            "while starting a business)",
            "Søk om etablererstøtte (Innovasjon Norge, kommunen, NAVs støtte under etablering)",
            "Sök etableringsstöd (Innovasjon Norge, kommunen, NAV:s stöd under etableringen)",
        ),
    ),
    "establishment": (
        (
            "Register in Brønnøysundregistrene (Samordnet registermelding)",
            "Registrer i Brønnøysundregistrene (Samordnet registermelding)",
            "Registrera i Brønnøysundregistrene (Samordnet registermelding)",
        ),
        (
            "Register for VAT with Skatteetaten when required",
            "Registrer for merverdiavgift hos Skatteetaten når det kreves",
            "Registrera för moms hos Skatteetaten när det krävs",
        ),
        (
            "Open a business bank account",
            "Opprett bankkonto for virksomheten",
            "Öppna ett bankkonto för verksamheten",
        ),
        (
            "Take out the insurance chosen",
            "Tegn forsikringene dere valgte",
            "Teckna de försäkringar ni valde",
        ),
        (
            "Tell NAV about the business and the income it gives",
            "Meld fra til NAV om virksomheten og inntekten den gir",
            "Meddela NAV om verksamheten och inkomsten den ger",
        ),
    ),
    "operation": (
        (
            "Keep the accounts and file the tax return for the business on time",
            "Før regnskapet og lever skattemeldingen for næringsdrivende i tide",
            "För bokföringen och lämna skattemeldingen för näringsidkare i tid",
        ),
        (
            "File VAT returns (mva-melding) on time",
            "Lever mva-meldingen i tide",
            "Lämna momsdeklarationen (mva-melding) i tid",
        ),
        (
            "Report changes in income to NAV",
            "Meld endringer i inntekt til NAV",
            "Meddela ändrade inkomster till NAV",
        ),
        (
            "Review insurance and permits once a year",
            "Gå gjennom forsikringer og tillatelser en gang i året",
            "Gå igenom försäkringar och tillstånd en gång om året",
        ),
    ),
    "ended": (
        (
            "Delete the business from Brønnøysundregistrene",
            "Slett virksomheten i Brønnøysundregistrene",
            "Avregistrera verksamheten i Brønnøysundregistrene",
        ),
        (
            "File the last VAT and tax returns",
            "Lever siste mva-melding og skattemelding",
            "Lämna den sista moms- och skattedeklarationen",
        ),
        (
            "Cancel insurance and agreements",
            "Si opp forsikringer og avtaler",
            "Säg upp försäkringar och avtal",
        ),
        (
            "Tell NAV that the business has ended",
            "Meld fra til NAV at virksomheten er avviklet",
            "Meddela NAV att verksamheten har upphört",
        ),
    ),
}

SWEDEN: dict[str, tuple[Text, ...]] = {
    "idea": (
        (
            "Describe the idea in a few sentences: what, for whom, and why it matters",
            "Beskriv idéen med noen setninger: hva, for hvem og hvorfor det betyr noe",
            "Beskriv idén med några meningar: vad, för vem och varför den är viktig",
        ),
        (
            "Talk to Försäkringskassan and Arbetsförmedlingen about how a business can affect "
            "benefits (sickness or activity compensation, activity support)",
            "Snakk med Försäkringskassan og Arbetsförmedlingen om hvordan en virksomhet kan "
            "påvirke ytelser (sjukersättning, aktivitetsersättning, aktivitetsstöd)",
            "Tala med Försäkringskassan och Arbetsförmedlingen om hur ett företag kan påverka "
            "ersättningar (sjukersättning, aktivitetsersättning, aktivitetsstöd)",
        ),
        (
            "Book free start-up advice (Almi, Nyföretagarcentrum, Coompanion for cooperatives)",
            "Bestill gratis etablererrådgivning (Almi, Nyföretagarcentrum, Coompanion for "
            "samvirker)",
            "Boka kostnadsfri rådgivning (Almi, Nyföretagarcentrum, Coompanion för kooperativ)",
        ),
    ),
    "clarification": (
        (
            "Choose a legal form (aktiebolag, enskild firma, ekonomisk förening, ideell förening) "
            "and what it means for liability",
            "Velg selskapsform (aktiebolag, enskild firma, ekonomisk förening, ideell förening) "
            "og finn ut hva den betyr for ansvaret",
            "Välj företagsform (aktiebolag, enskild firma, ekonomisk förening, ideell förening) "
            "och ta reda på vad den betyder för ansvaret",
        ),
        (
            "Check that the name is free with Bolagsverket",
            "Sjekk at navnet er ledig hos Bolagsverket",
            "Kontrollera att namnet är ledigt hos Bolagsverket",
        ),
        (
            "Find out whether the activity needs a permit (food: the municipality; serving "
            "alcohol; transport)",
            "Finn ut om virksomheten trenger tillatelse (mat: kommunen; skjenking; transport)",
            "Ta reda på om verksamheten behöver tillstånd (livsmedel: kommunen; "
            "serveringstillstånd; transport)",
        ),
    ),
    "team": (
        (
            "Agree in writing on each member's role and hours",
            "Bli enige skriftlig om rollen og timene til hvert medlem",
            "Kom överens skriftligt om varje medlems roll och timmar",
        ),
        (
            "Agree on how decisions are made and how income is shared",
            "Bli enige om hvordan beslutninger tas og hvordan inntekter deles",
            "Kom överens om hur beslut fattas och hur intäkter delas",
        ),
        (
            "Each member checks with Försäkringskassan how the work affects their compensation",
            "Hvert medlem avklarer med Försäkringskassan hvordan arbeidet påvirker ytelsene deres",
            "Varje medlem stämmer av med Försäkringskassan hur arbetet påverkar deras ersättning",
        ),
    ),
    "business_plan": (
        (
            "Write the business plan with a budget and a liquidity plan",
            "Skriv forretningsplanen med budsjett og likviditetsplan",
            "Skriv affärsplanen med budget och likviditetsplan",
        ),
        (
            "Ask Skatteverket about F-tax (F-skatt) and preliminary tax",
            "Avklar F-skatt og preliminærskatt med Skatteverket",
            "Stäm av F-skatt och preliminärskatt med Skatteverket",
        ),
        (
            "Find out from Skatteverket whether the business must register for VAT (moms)",
            "Finn ut hos Skatteverket om virksomheten må registreres for merverdiavgift (moms)",
            "Ta reda på hos Skatteverket om verksamheten måste registreras för moms",
        ),
        (
            "Get quotes for business and liability insurance",
            "Hent tilbud på bedrifts- og ansvarsforsikring",
            "Begär offerter på företags- och ansvarsförsäkring",
        ),
        (
            "Apply for start-up support (Arbetsförmedlingen's starta-eget-stöd, Almi, the "
            "municipality)",
            "Søk om etablererstøtte (Arbetsförmedlingens starta-eget-stöd, Almi, kommunen)",
            "Sök stöd för att starta (Arbetsförmedlingens starta eget-bidrag, Almi, kommunen)",
        ),
    ),
    "establishment": (
        (
            "Register the business with Bolagsverket (verksamt.se)",
            "Registrer virksomheten hos Bolagsverket (verksamt.se)",
            "Registrera verksamheten hos Bolagsverket (verksamt.se)",
        ),
        (
            "Apply to Skatteverket for F-tax and register for VAT and as an employer when needed",
            "Søk Skatteverket om F-skatt og registrer for moms og som arbeidsgiver ved behov",
            "Ansök om F-skatt hos Skatteverket och registrera för moms och som arbetsgivare vid "
            "behov",
        ),
        (
            "Open a business bank account",
            "Opprett bankkonto for virksomheten",
            "Öppna ett bankkonto för verksamheten",
        ),
        (
            "Take out the insurance chosen",
            "Tegn forsikringene dere valgte",
            "Teckna de försäkringar ni valde",
        ),
        (
            "Tell Försäkringskassan about the business and the income it gives",
            "Meld fra til Försäkringskassan om virksomheten og inntekten den gir",
            "Meddela Försäkringskassan om verksamheten och inkomsten den ger",
        ),
    ),
    "operation": (
        (
            "Keep the accounts; file the annual report and the income tax return on time",
            "Før regnskapet; lever årsregnskap og selvangivelse i tide",
            "För bokföringen; lämna årsredovisning och inkomstdeklaration i tid",
        ),
        (
            "File VAT returns (momsdeklaration) and employer returns on time",
            "Lever momsdeklarasjon og arbeidsgiverdeklarasjon i tide",
            "Lämna momsdeklaration och arbetsgivardeklaration i tid",
        ),
        (
            "Report changes in income to Försäkringskassan",
            "Meld endringer i inntekt til Försäkringskassan",
            "Meddela ändrade inkomster till Försäkringskassan",
        ),
        (
            "Review insurance and permits once a year",
            "Gå gjennom forsikringer og tillatelser en gang i året",
            "Gå igenom försäkringar och tillstånd en gång om året",
        ),
    ),
    "ended": (
        (
            "Deregister the business with Bolagsverket and Skatteverket",
            "Avregistrer virksomheten hos Bolagsverket og Skatteverket",
            "Avregistrera verksamheten hos Bolagsverket och Skatteverket",
        ),
        (
            "File the last VAT and tax returns",
            "Lever siste moms- og skattedeklarasjon",
            "Lämna den sista moms- och skattedeklarationen",
        ),
        (
            "Cancel insurance and agreements",
            "Si opp forsikringer og avtaler",
            "Säg upp försäkringar och avtal",
        ),
        (
            "Tell Försäkringskassan that the business has ended",
            "Meld fra til Försäkringskassan at virksomheten er avviklet",
            "Meddela Försäkringskassan att verksamheten har upphört",
        ),
    ),
}

DEFAULTS: dict[str, dict[str, tuple[Text, ...]]] = {"NO": NORWAY, "SE": SWEDEN}
