"""The columns of a member survey: what each can hold, and the words files use for them."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy

from samvirke.imports import cells
from samvirke.imports.columns import Columns
from samvirke.imports.limits import MAX_ERRORS_SHOWN, MAX_FILE_BYTES
from samvirke.imports.reading import ImportFileError
from samvirke.mapping.models import (
    ImportedMember,
)
from samvirke.participants.models import (
    Gender,
)
from samvirke.programmes.models import Country

MAX_WORK_ENTRIES = 20
MAX_KEY_LENGTH = ImportedMember._meta.get_field("source_key").max_length or 100
EARLIEST_MAPPING_YEAR = 1940
# Uploaded files hold personal data: a batch never imported loses its file after this long.
STALE_AFTER = dt.timedelta(days=1)
# record_mapping codes an uncoded title itself, one occupation search per title. The importer has
# already searched each distinct title once; a title it could not code is passed with this code,
# which matches no occupation, so that the same search is not repeated for every row.
UNCODED = "-"


class ImportField(models.TextChoices):
    """What a column of the file can be imported as."""

    IGNORE = "", gettext_lazy("do not import")
    MEMBER_ID = "member_id", gettext_lazy("member id")
    FULL_NAME = "full_name", gettext_lazy("full name")
    EMAIL = "email", gettext_lazy("e-mail")
    PHONE = "phone", gettext_lazy("phone")
    BIRTH_YEAR = "birth_year", gettext_lazy("birth year")
    GENDER = "gender", gettext_lazy("gender")
    MUNICIPALITY = "municipality", gettext_lazy("municipality number")
    COUNTRY = "country", gettext_lazy("country")
    JOB_TITLES = "job_titles", gettext_lazy("job titles")
    OCCUPATION_CODE = "occupation_code", gettext_lazy("occupation code (ISCO-08)")
    EDUCATION_LEVEL = "education_level", gettext_lazy("education level (ISCED 0–8)")
    EDUCATION_FIELD = "education_field", gettext_lazy("field of study")
    SKILLS = "skills", gettext_lazy("skills")
    INTERESTS = "interests", gettext_lazy("interests")
    GOALS = "goals", gettext_lazy("goals")
    RESOURCES = "resources", gettext_lazy("resources")
    HOURS_PER_WEEK = "hours_per_week", gettext_lazy("hours a week")
    FILLED_ON = "filled_on", gettext_lazy("date of the mapping")
    CONSENT_FOLLOW_UP = "consent_follow_up", gettext_lazy("consent to follow-up (yes/no)")
    CONSENT_RESEARCH = "consent_research", gettext_lazy("consent to research (yes/no)")


# Header names recognised in Norwegian, Swedish and English, "|" between them (see _key()).
HEADER_NAMES: dict[str, str] = {
    ImportField.MEMBER_ID: (
        "member id|member number|member no|id|medlemsnummer|medlemsnr|medlems id|medlemsid|"
        "medlem nr|medlemnr|medlemsnumer"
    ),
    ImportField.FULL_NAME: (
        "name|full name|navn|fullt navn|namn|fullstandigt namn|for och efternamn"
    ),
    ImportField.EMAIL: (
        "email|e mail|e mail address|email address|e post|epost|e postadresse|e postadress|mail"
    ),
    ImportField.PHONE: (
        "phone|telephone|mobile|phone number|telefon|telefonnummer|tlf|mobil|mobilnummer|"
        "mobiltelefon"
    ),
    ImportField.BIRTH_YEAR: (
        "birth year|year of birth|born|fodselsar|fodt|fodelsear|fodd|fodelsear yyyy"
    ),
    ImportField.GENDER: "gender|sex|kjonn|kon",
    ImportField.MUNICIPALITY: (
        "municipality|municipality code|municipality number|kommune|kommunenummer|kommunenr|"
        "kommun|kommunkod|kommunnummer"
    ),
    ImportField.COUNTRY: "country|land",
    ImportField.JOB_TITLES: (
        "job title|job titles|jobs|work|previous work|occupation|occupations|yrke|yrker|stilling|"
        "stillinger|tidligere arbeid|arbeid|yrkestittel|arbete|tidigare arbete|tidigare arbeten|"
        "yrken|yrkestitel"
    ),
    ImportField.OCCUPATION_CODE: (
        "occupation code|isco|isco code|isco 08|isco08|yrkeskode|yrkeskod|isco kode|isco kod"
    ),
    ImportField.EDUCATION_LEVEL: (
        "education level|education|isced|isced level|utdanningsniva|utdanning|utbildningsniva|"
        "utbildning|hoyeste utdanning|hogsta utbildning"
    ),
    ImportField.EDUCATION_FIELD: (
        "field of study|education field|subject|fagfelt|fagomrade|studieretning|"
        "utdanningsretning|utbildningsinriktning|inriktning|amnesomrade"
    ),
    ImportField.SKILLS: "skills|ferdigheter|kompetanse|fardigheter|kompetens",
    ImportField.INTERESTS: "interests|interesser|intressen",
    ImportField.GOALS: "goals|mal|malsetting|malsattning",
    ImportField.RESOURCES: "resources|ressurser|resurser",
    ImportField.HOURS_PER_WEEK: (
        "hours per week|hours a week|hours|timer per uke|timer i uka|timer|timmar per vecka|"
        "timmar i veckan|timmar"
    ),
    ImportField.FILLED_ON: (
        "date|date of mapping|mapping date|dato|kartleggingsdato|datum|kartlaggningsdatum|"
        "svarsdato|svarsdatum"
    ),
    ImportField.CONSENT_FOLLOW_UP: (
        "consent to follow up|consent follow up|follow up consent|samtykke oppfolging|"
        "samtykke til oppfolging|samtycke uppfoljning|samtycke till uppfoljning"
    ),
    ImportField.CONSENT_RESEARCH: (
        "consent to research|consent research|research consent|samtykke forskning|"
        "samtykke til forskning|samtycke forskning|samtycke till forskning"
    ),
}

_COUNTRIES = {
    "no": Country.NORWAY, "nor": Country.NORWAY, "norway": Country.NORWAY,
    "norge": Country.NORWAY, "noreg": Country.NORWAY, "norwegen": Country.NORWAY,
    "se": Country.SWEDEN, "swe": Country.SWEDEN, "sweden": Country.SWEDEN,
    "sverige": Country.SWEDEN, "sverike": Country.SWEDEN,
}  # fmt: skip
_GENDER_WORDS = {
    Gender.WOMAN: ("woman", "female", "f", "w", "kvinne", "kvinna", "k", "kvinnlig", "dame"),
    Gender.MAN: ("man", "male", "m", "mann", "mannlig", "manlig", "mand"),
    Gender.OTHER: ("other", "annet", "annat", "annen", "annan", "non binary", "ikke binaer"),
    Gender.PREFER_NOT_TO_SAY: (
        "not said",
        "not_said",
        "prefer not to say",
        "vil ikke oppgi",
        "vill inte uppge",
        "vil ikke si",
        "vill inte saga",
        "onsker ikke a oppgi",
        "uppger ej",
    ),
}
_LANGUAGE_OF_COUNTRY: dict[str, str] = {Country.NORWAY: "nb", Country.SWEDEN: "sv"}


MEMBER_COLUMNS = Columns(
    choices=ImportField,
    names=HEADER_NAMES,
    required={ImportField.MEMBER_ID: gettext_lazy("Choose the column that holds the member id.")},
    # The plain cells; the others are read against the classifications (checking._RowReader).
    cells={
        ImportField.MEMBER_ID: cells.text(MAX_KEY_LENGTH),
        ImportField.FULL_NAME: cells.text(200),
        ImportField.EDUCATION_FIELD: cells.text(200),
        ImportField.FILLED_ON: cells.date,
        ImportField.CONSENT_FOLLOW_UP: cells.yes_no,
        ImportField.CONSENT_RESEARCH: cells.yes_no,
    },
)

__all__ = [
    "MAX_ERRORS_SHOWN",
    "MAX_FILE_BYTES",
    "MEMBER_COLUMNS",
    "ImportField",
    "ImportFileError",
]
