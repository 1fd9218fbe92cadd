"""Version 1 of the consent texts, in nb, sv and en; adult and 16–17-year-old wording."""

from __future__ import annotations

# purpose: (adult nb, adult sv, adult en, youth nb, youth sv, youth en)
TEXTS_V1: dict[str, tuple[str, str, str, str, str, str]] = {
    "follow_up": (
        "Jeg samtykker til at prosjektet lagrer opplysninger om meg for å kunne følge meg opp "
        "i tiltak og aktiviteter. Bare de som arbeider med oppfølgingen min, ser opplysningene.",
        "Jag samtycker till att projektet sparar uppgifter om mig för att kunna följa upp mig i "
        "insatser och aktiviteter. Bara de som arbetar med min uppföljning ser uppgifterna.",
        "I agree that the programme keeps information about me so that it can follow me up in "
        "measures and activities. Only those who work with my follow-up see it.",
        "Jeg sier ja til at prosjektet lagrer det jeg forteller, slik at veilederen min kan "
        "hjelpe meg videre. Bare de som jobber med meg, kan se det.",
        "Jag säger ja till att projektet sparar det jag berättar, så att min handledare kan "
        "hjälpa mig vidare. Bara de som jobbar med mig kan se det.",
        "I say yes to the programme keeping what I tell it, so that my guide can help me on. "
        "Only the people who work with me can see it.",
    ),
    "research": (
        "Jeg samtykker til at opplysninger om meg, uten navn, brukes i forskning som evaluerer "
        "hva som virker. Forskerne ser aldri hvem jeg er.",
        "Jag samtycker till att uppgifter om mig, utan namn, används i forskning som utvärderar "
        "vad som fungerar. Forskarna ser aldrig vem jag är.",
        "I agree that information about me, without my name, is used in research that "
        "evaluates what works. The researchers never see who I am.",
        "Jeg sier ja til at forskere kan bruke svarene mine, uten navnet mitt, for å finne ut "
        "hva som hjelper. De får aldri vite hvem jeg er.",
        "Jag säger ja till att forskare får använda mina svar, utan mitt namn, för att ta reda "
        "på vad som hjälper. De får aldrig veta vem jag är.",
        "I say yes to researchers using my answers, without my name, to find out what helps. "
        "They never learn who I am.",
    ),
    "questionnaire_contact": (
        "Jeg samtykker til å bli kontaktet for å svare på oppfølgingsspørreskjemaer.",
        "Jag samtycker till att bli kontaktad för att svara på uppföljningsenkäter.",
        "I agree to be contacted to answer follow-up questionnaires.",
        "Jeg sier ja til at dere kan spørre meg om å svare på nye spørsmål senere.",
        "Jag säger ja till att ni får fråga mig om att svara på nya frågor senare.",
        "I say yes to you asking me to answer new questions later.",
    ),
    "team_matching": (
        "Jeg samtykker til at ressursene mine (erfaring, utdanning, interesser) brukes for å "
        "foreslå meg til team som vil starte en virksomhet.",
        "Jag samtycker till att mina resurser (erfarenhet, utbildning, intressen) används för "
        "att föreslå mig till team som vill starta en verksamhet.",
        "I agree that my resources (experience, education, interests) are used to suggest me "
        "for teams that want to start an enterprise.",
        "Jeg sier ja til at det jeg kan og liker, brukes til å foreslå meg for en gruppe som "
        "vil starte noe sammen.",
        "Jag säger ja till att det jag kan och gillar används för att föreslå mig till en grupp "
        "som vill starta något tillsammans.",
        "I say yes to what I can do and like being used to suggest me for a group that wants "
        "to start something together.",
    ),
    "share_story": (
        "Jeg samtykker til at historien min kan fortelles i formidling av resultater, slik vi "
        "blir enige om den.",
        "Jag samtycker till att min berättelse får berättas när resultat sprids, så som vi kommer "
        "överens om.",
        "I agree that my story may be told when results are shared, in the form we agree on.",
        "Jeg sier ja til at historien min kan fortelles til andre, slik vi blir enige om.",
        "Jag säger ja till att min berättelse får berättas för andra, så som vi kommer överens om.",
        "I say yes to my story being told to others, in the way we agree on.",
    ),
    "share_partner": (
        "Jeg samtykker til at opplysninger om oppfølgingen min deles med den navngitte "
        "samarbeidspartneren.",
        "Jag samtycker till att uppgifter om min uppföljning delas med den namngivna "
        "samverkanspartnern.",
        "I agree that information about my follow-up is shared with the named partner "
        "organisation.",
        "Jeg sier ja til at den navngitte organisasjonen får vite hvordan det går med meg her.",
        "Jag säger ja till att den namngivna organisationen får veta hur det går för mig här.",
        "I say yes to the named organisation learning how I am getting on here.",
    ),
}
