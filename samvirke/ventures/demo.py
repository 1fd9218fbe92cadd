"""The demo's ventures: three enterprise ideas in RSMH's subproject in Östersund, built through
the services, and one run of the team-formation engine over RSMH's mapped members.

The café had its team formed from the proposals (two accepted, others still waiting), ticked
off its team checklist and moved on to "business plan", where some of that stage's checklist is
done, the canvas has a first version, milestones and tasks have owners (one is overdue) and a
draft business plan is attached. The second-hand and repair shop and the garden-care
cooperative show gaps that a support partner could fill.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from samvirke.accounts.models import Role, User
from samvirke.accounts.permissions import access_for
from samvirke.audit.actor import Actor
from samvirke.mapping.models import Skill
from samvirke.programmes.models import Municipality, Programme
from samvirke.ventures import checklists, documents, milestones, services
from samvirke.ventures.filetypes import PDF
from samvirke.ventures.forms import VentureForm
from samvirke.ventures.models import (
    ChecklistItem,
    Document,
    MemberKind,
    Proposal,
    StageChange,
    Task,
    TaskKind,
    TeamMember,
    Venture,
)
from samvirke.web.forms import change_from

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
        venture = services.save_venture(
            actor=Actor.of_user(contact), change=change_from(venture_form)
        )
        for stage, _day in stages[1:]:
            services.move_venture(
                actor=Actor.of_user(contact), venture=venture, to_stage=stage, reason=""
            )
        _date_history(venture, stages)
        for code, importance in needs:
            services.add_need(
                actor=Actor.of_user(contact),
                venture=venture,
                importance=importance,
                skill=Skill.objects.filter(code=code).first(),
            )
        ventures.append(venture)
    if guide is not None:
        services.add_member(
            actor=Actor.of_user(contact),
            venture=ventures[0],
            kind=MemberKind.GUIDE,
            user=guide,
            role="företagsrådgivare",
            hours_per_week=None,
            starts_on=dt.date(2013, 2, 1),
        )
    run = services.start_formation(
        actor=Actor.of_user(contact),
        access=access,
        seed=2013,
        max_ventures_per_person=1,
        time_limit=10,
    )
    services.execute_formation(run=run)
    for proposal in Proposal.objects.filter(run=run, venture=ventures[0]).order_by("pk")[:2]:
        services.decide_proposal(actor=Actor.of_user(contact), proposal=proposal, accept=True)
    _cafe_to_business_plan(ventures[0], contact, guide)


CAFE_CANVAS = {
    "key_partners": "RSMH Östersund (lokalen), Östersunds kommun, Coompanion Jämtland",
    "key_activities": "Lunch tre dagar i veckan, kaffe och bakning, catering till möten",
    "key_resources": "Köket i RSMH:s lokaler, medlemmarnas erfarenhet av matlagning",
    "value_propositions": "Hemlagad lunch till rimligt pris, en lugn och välkomnande plats",
    "customer_relationships": "Stamgäster, lunchkort, personligt bemötande",
    "channels": "Skylt på gatan, föreningens nyhetsbrev, Facebook",
    "customer_segments": "Medlemmar, grannar, anställda på närliggande arbetsplatser",
    "cost_structure": "Råvaror, hyra för köket, försäkring, kassasystem",
    "revenue_streams": "Lunchförsäljning, fika, catering",
    "problem": "Medlemmar på väg tillbaka till arbetslivet saknar en första arbetsplats",
    "target_group": "Medlemmar i RSMH Östersund som vill arbeta några timmar i veckan",
    "impact_activities": "Arbete i kök och kassa i egen takt, med handledning",
    "outputs": "Antal arbetstimmar per månad, antal medlemmar som arbetar",
    "outcomes": "Arbetserfarenhet, bemästring, fler som går vidare till annat arbete",
    "indicators": "Timmar per månad, WHO-5 före och efter, antal som gått vidare",
}


def _cafe_to_business_plan(cafe: Venture, contact: User, guide: User | None) -> None:
    """The café's team is in place: its team checklist is done, it moves on, and the business
    plan work starts (dated as the story goes, spring 2013)."""

    def at(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(11)))

    ticks: list[tuple[ChecklistItem, dt.date]] = []
    earlier = [
        ("idea", dt.date(2012, 10, 1)),
        ("clarification", dt.date(2012, 11, 15)),
        ("team", dt.date(2013, 2, 1)),
    ]
    for stage, start in earlier:
        items = list(
            ChecklistItem.objects.filter(venture=cafe, template_item__stage=stage).order_by(
                "template_item__position", "pk"
            )
        )
        if stage == "clarification":
            items = items[:-1]  # one was left undone when the café moved on
        for index, item in enumerate(items):
            checklists.tick_item(actor=Actor.of_user(contact), item=item, done=True)
            ticks.append((item, start + dt.timedelta(days=7 * (index + 1))))
    services.move_venture(
        actor=Actor.of_user(contact),
        venture=cafe,
        to_stage="business_plan",
        reason="Teamet är på plats och har kommit överens om roller och timmar.",
    )
    moved = at(dt.date(2013, 4, 8))
    StageChange.objects.filter(venture=cafe, to_stage="business_plan").update(moved_at=moved)
    Venture.objects.filter(pk=cafe.pk).update(stage_since=moved)
    plan_items = ChecklistItem.objects.filter(
        venture=cafe, template_item__stage="business_plan"
    ).order_by("template_item__position")
    for index, item in enumerate(plan_items[:2]):
        checklists.tick_item(actor=Actor.of_user(guide or contact), item=item, done=True)
        ticks.append((item, dt.date(2013, 4, 15 + 7 * index)))
    for item, day in ticks:
        ChecklistItem.objects.filter(pk=item.pk).update(done_at=at(day))
    services.save_canvas(actor=Actor.of_user(contact), venture=cafe, blocks=CAFE_CANVAS)
    team = TeamMember.objects.filter(venture=cafe, kind=MemberKind.PARTICIPANT)
    team.update(starts_on=dt.date(2013, 3, 1))  # they joined when the proposals were accepted
    members = list(team.order_by("pk"))
    plan = milestones.save_task(
        actor=Actor.of_user(contact),
        venture=cafe,
        kind=TaskKind.MILESTONE,
        title="Affärsplanen klar för styrelsen",
        due_on=dt.date(2013, 6, 14),
        owner_user=contact,
    )
    tasks = [
        ("Offert på företagsförsäkring", dt.date(2013, 4, 26), guide, None, True),
        ("Budget och likviditetsplan", dt.date(2013, 5, 24), None, members[:1], False),
        ("Provlaga lunchmenyn", dt.date(2013, 5, 17), None, members[1:2], False),
    ]
    for title, due, user, member, done in tasks:
        task = milestones.save_task(
            actor=Actor.of_user(contact),
            venture=cafe,
            kind=TaskKind.TASK,
            title=title,
            due_on=due,
            owner_user=user,
            owner_member=member[0] if member else None,
            milestone=plan,
        )
        if done:
            milestones.mark_task(actor=Actor.of_user(guide or contact), task=task, done=True)
            Task.objects.filter(pk=task.pk).update(done_at=at(due - dt.timedelta(days=2)))
    milestones.save_task(
        actor=Actor.of_user(contact),
        venture=cafe,
        kind=TaskKind.MILESTONE,
        title="Första lunchdagen",
        due_on=dt.date(2013, 9, 2),
        owner_user=guide,
    )
    draft = SimpleUploadedFile(
        "Affärsplan Kafé Solsidan – utkast.pdf", _draft_pdf(), content_type="application/pdf"
    )
    document = documents.attach_document(
        actor=Actor.of_user(contact),
        venture=cafe,
        upload=draft,
        file_type=PDF,
        title="Affärsplan, första utkast",
    )
    Document.objects.filter(pk=document.pk).update(uploaded_at=at(dt.date(2013, 5, 3)))


def _draft_pdf() -> bytes:
    """A one-page PDF saying what it is, built by hand so the demo needs no PDF library."""
    text = b"BT /F1 16 Tf 72 770 Td (Kafe Solsidan - affarsplan, utkast (demo)) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _date_history(venture: Venture, stages: list[tuple[str, dt.date]]) -> None:
    """Demo history happened in 2012–2013: give the stage changes the dates of the story."""
    changes = list(StageChange.objects.filter(venture=venture).order_by("moved_at", "pk"))
    for change, (_stage, day) in zip(changes, stages, strict=True):
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
        StageChange.objects.filter(pk=change.pk).update(moved_at=moment)
    last = timezone.make_aware(dt.datetime.combine(stages[-1][1], dt.time(10)))
    first = timezone.make_aware(dt.datetime.combine(stages[0][1], dt.time(10)))
    Venture.objects.filter(pk=venture.pk).update(stage_since=last, created_at=first)
