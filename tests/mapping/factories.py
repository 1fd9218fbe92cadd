"""factory_boy factories for the classification models."""

from __future__ import annotations

import factory

from samvirke.lib.fuzzy import normalise
from samvirke.mapping.models import (
    EducationLevel,
    EducationScheme,
    Occupation,
    OccupationTitle,
    SsykGroup,
)


class OccupationFactory(factory.django.DjangoModelFactory[Occupation]):
    class Meta:
        model = Occupation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{9000 + n % 1000}")
    level = factory.LazyAttribute(lambda o: len(o.code))
    label_en = factory.Sequence(lambda n: f"Occupation group {n}")
    label_nb = factory.Sequence(lambda n: f"Yrkesgruppe {n}")
    label_sv = factory.Sequence(lambda n: f"Yrkesgrupp {n}")
    styrk_label = factory.LazyAttribute(lambda o: o.label_nb)


class SsykGroupFactory(factory.django.DjangoModelFactory[SsykGroup]):
    class Meta:
        model = SsykGroup
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{9000 + n % 1000}")
    level = factory.LazyAttribute(lambda o: len(o.code))
    label_sv = factory.Sequence(lambda n: f"SSYK-grupp {n}")


class OccupationTitleFactory(factory.django.DjangoModelFactory[OccupationTitle]):
    class Meta:
        model = OccupationTitle
        django_get_or_create = ("language", "esco_uri", "title")

    language = "nb"
    title = factory.Sequence(lambda n: f"yrkestittel {n}")
    is_preferred = True
    esco_uri = factory.Sequence(lambda n: f"http://data.europa.eu/esco/occupation/test-{n}")
    occupation = factory.SubFactory(OccupationFactory)
    search_text = factory.LazyAttribute(lambda o: normalise(o.title))


class EducationLevelFactory(factory.django.DjangoModelFactory[EducationLevel]):
    class Meta:
        model = EducationLevel
        django_get_or_create = ("scheme", "code")

    scheme = EducationScheme.ISCED_2011
    code = factory.Sequence(lambda n: str(n % 10))
    level = 1
