"""The demo's ventures: three enterprise ideas in RSMH's subproject in Östersund, built through
the services, and one run of the team-formation engine over RSMH's mapped members.

The café is at the "team" stage with proposals waiting (two accepted); the second-hand and
repair shop and the garden-care cooperative show gaps that a support partner could fill.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from samvirke.accounts.models import Role, User
from samvirke.accounts.permissions import access_for
from samvirke.mapping.models import Skill
from samvirke.programmes.models import Municipality, Programme
from samvirke.ventures import services
from samvirke.ventures.forms import VentureForm
from samvirke.ventures.models import MemberKind, Proposal, StageChange, Venture

RSMH = "RSMH – kartlegging av medlemmenes ressurser"

# name, idea, social mission, sector, legal form, interests, team size, stages with dates, needs
DEMO_VENTURES = [
    (
        "Kafé Solsidan (demo)",
        "Ett café i RSMH:s lokaler med lunch, kaffe och bakning, öppet tre dagar i veckan.",
        "Betalt arbete och en mötesplats för medlemmar på väg tillbaka till arbetslivet.",
        "café och catering",
        "se_ekonomisk",
        ["cooking", "sales"],
        (2, 5),
        [
            ("idea", dt.date(2012, 10, 1)),
            ("clarification", dt.date(2012, 11, 15)),
            ("team", dt.date(2013, 2, 1)),
        ],
        [("cooking", 3), ("food-service", 3), ("cash-handling", 2), ("bookkeeping", 2)],
    ),
    (
        "Återbruket – second hand och reparation (demo)",
        "En secondhandbutik som lagar möbler, cyklar och småapparater innan de säljs.",
        "Arbetsträning för medlemmar med praktiska färdigheter, och mindre avfall i staden.",
        "handel och reparationer",
        "se_ideell",
        ["repairs", "building", "sales"],
        (2, 6),
        [("idea", dt.date(2012, 12, 1)), ("clarification", dt.date(2013, 3, 1))],
        [("carpentry", 3), ("mechanics", 2), ("selling", 2), ("customer-service", 1)],
    ),
    (
        "Gröna händer trädgårdskooperativ (demo)",
        "Trädgårdsskötsel för bostadsrättsföreningar och äldre: klippning, beskärning.",
        "Utomhusarbete i en takt som passar medlemmarna, med ett team att höra till.",
        "trädgårdsskötsel",
        "se_ekonomisk",
        ["gardening", "outdoor"],
        (2, 6),
        [("idea", dt.date(2013, 4, 1))],
        [("gardening", 3), ("driving", 2), ("bookkeeping", 1)],
    ),
]


def load_ventures(programme: Programme) -> None:
    """Loading twice changes nothing."""
    if Venture.objects.filter(programme=programme).exists():
        return
    subproject = programme.subprojects.filter(name=RSMH).first()
    contact = (
        User.objects.filter(
            memberships__programme=programme,
            memberships__role=Role.CONTACT_PERSON,
            memberships__subproject=subproject,
        )
        .order_by("pk")
        .first()
    )
    if subproject is None or contact is None:
        return
    guide = (
        User.objects.filter(memberships__programme=programme, memberships__role=Role.GUIDE)
        .order_by("pk")
        .first()
    )
    ostersund = Municipality.objects.filter(country="SE", code="2380").first()
    access = access_for(contact, programme)
    ventures = []
    for name, idea, mission, sector, form, interests, size, stages, needs in DEMO_VENTURES:
        data = {
            "name": name,
            "subproject": subproject.pk,
            "idea": idea,
            "social_mission": mission,
            "sector": sector,
            "country": "SE",
            "municipality": ostersund.pk if ostersund else "",
            "legal_form": form,
            "organisations": [o.pk for o in subproject.owners.all()],
            "interest_list": interests,
            "min_team_size": size[0],
            "max_team_size": size[1],
        }
        venture_form = VentureForm(
            data, programme=programme, subprojects=programme.subprojects.all()
        )
        if not venture_form.is_valid():
            raise ValueError(venture_form.errors.as_json())
        venture = services.save_venture(actor=contact, request=None, form=venture_form)
        for stage, _day in stages[1:]:
            services.move_venture(
                actor=contact, request=None, venture=venture, to_stage=stage, reason=""
            )
        _date_history(venture, stages)
        for code, importance in needs:
            services.add_need(
                actor=contact,
                request=None,
                venture=venture,
                importance=importance,
                skill=Skill.objects.filter(code=code).first(),
            )
        ventures.append(venture)
    if guide is not None:
        services.add_member(
            actor=contact,
            request=None,
            venture=ventures[0],
            kind=MemberKind.GUIDE,
            user=guide,
            role="företagsrådgivare",
            hours_per_week=None,
            starts_on=dt.date(2013, 2, 1),
        )
    run = services.start_formation(
        actor=contact,
        request=None,
        access=access,
        seed=2013,
        max_ventures_per_person=1,
        time_limit=10,
    )
    services.execute_formation(run=run)
    for proposal in Proposal.objects.filter(run=run, venture=ventures[0]).order_by("pk")[:2]:
        services.decide_proposal(actor=contact, request=None, proposal=proposal, accept=True)


def _date_history(venture: Venture, stages: list[tuple[str, dt.date]]) -> None:
    """Demo history happened in 2012–2013: give the stage changes the dates of the story."""
    changes = list(StageChange.objects.filter(venture=venture).order_by("moved_at", "pk"))
    for change, (_stage, day) in zip(changes, stages, strict=True):
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
        StageChange.objects.filter(pk=change.pk).update(moved_at=moment)
    last = timezone.make_aware(dt.datetime.combine(stages[-1][1], dt.time(10)))
    first = timezone.make_aware(dt.datetime.combine(stages[0][1], dt.time(10)))
    Venture.objects.filter(pk=venture.pk).update(stage_since=last, created_at=first)
