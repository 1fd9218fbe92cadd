"""Reads of the service map, scoped to one programme (members) or a published map (public)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from samvirke.measures.models import Pathway, PathwayStep, Service, ServiceMapSettings
from samvirke.programmes.models import Country, Municipality, Programme
from samvirke.programmes.search import MAX_QUERY_LENGTH, contains_text

# The text fields a search looks in, in every language.
SEARCHED_FIELDS = [
    f"{name}_{lang}"
    for name in ("name", "offers", "eligibility", "access", "opening_hours")
    for lang in ("nb", "sv", "en")
] + ["address", "languages", "municipality__name"]


@dataclass(frozen=True)
class ServiceFilters:
    q: str = ""
    country: str = ""
    municipality: int | None = None
    kind: str = ""


def service_map_is_published(programme: Programme) -> bool:
    return ServiceMapSettings.objects.filter(programme=programme, published=True).exists()


def published_programme(slug: str) -> Programme:
    """The programme whose service map is public, or 404 (unpublished looks like absent)."""
    programme = Programme.objects.filter(slug=slug, service_map_settings__published=True).first()
    if programme is None:
        raise Http404
    return programme


def search_condition(query: str) -> Q:
    """Every word must occur in some field, in any language, ignoring case (also Æ Ø Å Ä Ö)."""
    condition = Q()
    for word in " ".join(query.split())[:MAX_QUERY_LENGTH].split():
        anywhere = Q()
        for name in SEARCHED_FIELDS:
            anywhere |= contains_text(name, word)
        condition &= anywhere
    return condition


def services_of(programme: Programme, filters: ServiceFilters | None = None) -> QuerySet[Service]:
    services = Service.objects.filter(programme=programme).select_related("municipality")
    if filters is None:
        return services
    if filters.country:
        services = services.filter(country=filters.country)
    if filters.municipality is not None:
        services = services.filter(municipality_id=filters.municipality)
    if filters.kind:
        services = services.filter(provider_kind=filters.kind)
    if filters.q.strip():
        services = services.filter(search_condition(filters.q))
    return services


def service_of(programme: Programme, pk: int) -> Service:
    service = services_of(programme).filter(pk=pk).first()
    if service is None:
        raise Http404
    return service


def municipalities_on_map(programme: Programme) -> QuerySet[Municipality]:
    return Municipality.objects.filter(services__programme=programme).distinct()


def pathways_through(service: Service) -> QuerySet[Pathway]:
    return Pathway.objects.filter(steps__service=service).distinct()


def pathways_of(programme: Programme) -> QuerySet[Pathway]:
    return Pathway.objects.filter(programme=programme)


def pathway_of(programme: Programme, pk: int) -> Pathway:
    steps = PathwayStep.objects.select_related("service")
    pathway = (
        pathways_of(programme).filter(pk=pk).prefetch_related(Prefetch("steps", steps)).first()
    )
    if pathway is None:
        raise Http404
    return pathway


def step_of(programme: Programme, pk: int) -> PathwayStep:
    step = (
        PathwayStep.objects.filter(pk=pk, pathway__programme=programme)
        .select_related("pathway")
        .first()
    )
    if step is None:
        raise Http404
    return step


@dataclass
class Situation:
    """One situation with its pathway in each country (either may be missing)."""

    key: str
    norway: Pathway | None = None
    sweden: Pathway | None = None
    pathways: list[Pathway] = field(default_factory=list)

    @property
    def title(self) -> str:
        return (self.norway or self.sweden or self.pathways[0]).title

    @property
    def has_pair(self) -> bool:
        return self.norway is not None and self.sweden is not None


def _situations(pathways: list[Pathway]) -> list[Situation]:
    by_key: dict[str, Situation] = {}
    for pathway in pathways:
        situation = by_key.setdefault(pathway.situation, Situation(key=pathway.situation))
        situation.pathways.append(pathway)
        if pathway.country == Country.NORWAY:
            situation.norway = pathway
        elif pathway.country == Country.SWEDEN:
            situation.sweden = pathway
    return list(by_key.values())


def situations_of(programme: Programme) -> list[Situation]:
    return _situations(list(pathways_of(programme)))


def situation_of(programme: Programme, key: str) -> Situation:
    """Both countries' pathways for one situation, steps in order, or 404."""
    steps = PathwayStep.objects.select_related("service")
    pathways = list(
        pathways_of(programme).filter(situation=key).prefetch_related(Prefetch("steps", steps))
    )
    if not pathways:
        raise Http404
    return _situations(pathways)[0]


def pathways_matching(programme: Programme, query: str) -> QuerySet[Pathway]:
    """Pathways whose title, summary or steps mention every word, in any language."""
    condition = Q()
    for word in " ".join(query.split())[:MAX_QUERY_LENGTH].split():
        anywhere = Q()
        for name in ("title", "summary", "steps__title", "steps__text"):
            for lang in ("nb", "sv", "en"):
                anywhere |= contains_text(f"{name}_{lang}", word)
        condition &= anywhere
    if not condition:
        return pathways_of(programme).none()
    return pathways_of(programme).filter(condition).distinct()
