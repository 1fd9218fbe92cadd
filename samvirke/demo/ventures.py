"""The demo's ventures: three enterprise ideas in RSMH's subproject in Östersund, built through
the services from ``data/ventures.json``, and one run of the team-formation engine over RSMH's
mapped members.

The café had its team formed from the proposals (two accepted, others still waiting), ticked
off its team checklist and moved on to "business plan", where some of that stage's checklist is
done, the canvas has a first version, milestones and tasks have owners (one is overdue) and a
draft business plan is attached. The second-hand and repair shop and the garden-care
cooperative show gaps that a support partner could fill.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from samvirke.accounts.models import Role, User
from samvirke.accounts.permissions import access_for
from samvirke.audit.actor import Actor
from samvirke.demo.fixtures import day, fixture
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


def load_ventures(programme: Programme) -> None:
    """Loading twice changes nothing."""
    if Venture.objects.filter(programme=programme).exists():
        return
    data = fixture("ventures")
    subproject = programme.subprojects.filter(name=data["subproject"]).first()
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
    for spec in data["ventures"]:
        stages = [(stage["stage"], day(stage["on"])) for stage in spec["stages"]]
        fields = {
            "name": spec["name"],
            "subproject": subproject.pk,
            "idea": spec["idea"],
            "social_mission": spec["social_mission"],
            "sector": spec["sector"],
            "country": "SE",
            "municipality": ostersund.pk if ostersund else "",
            "legal_form": spec["legal_form"],
            "organisations": [o.pk for o in subproject.owners.all()],
            "interest_list": spec["interests"],
            "min_team_size": spec["team_size"][0],
            "max_team_size": spec["team_size"][1],
        }
        venture_form = VentureForm(
            fields, programme=programme, subprojects=programme.subprojects.all()
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
        for need in spec["needs"]:
            services.add_need(
                actor=Actor.of_user(contact),
                venture=venture,
                importance=need["importance"],
                skill=Skill.objects.filter(code=need["skill"]).first(),
            )
        ventures.append(venture)
    if guide is not None:
        services.add_member(
            actor=Actor.of_user(contact),
            venture=ventures[0],
            kind=MemberKind.GUIDE,
            user=guide,
            role=data["cafe"]["guide_role"],
            hours_per_week=None,
            starts_on=day(data["cafe"]["guide_from"]),
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
    _cafe_to_business_plan(ventures[0], contact, guide, data)


def _cafe_to_business_plan(
    cafe: Venture, contact: User, guide: User | None, data: dict[str, Any]
) -> None:
    """The café's team is in place: its team checklist is done, it moves on, and the business
    plan work starts (dated as the story goes, spring 2013)."""

    def at(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(11)))

    story = data["cafe"]
    ticks: list[tuple[ChecklistItem, dt.date]] = []
    for earlier in data["ventures"][0]["stages"]:
        stage, start = earlier["stage"], day(earlier["on"])
        items = list(
            ChecklistItem.objects.filter(venture=cafe, template_item__stage=stage).order_by(
                "template_item__position", "pk"
            )
        )
        if stage == story["left_undone_in"]:
            items = items[:-1]  # one was left undone when the café moved on
        for index, item in enumerate(items):
            checklists.tick_item(actor=Actor.of_user(contact), item=item, done=True)
            ticks.append((item, start + dt.timedelta(days=7 * (index + 1))))
    services.move_venture(
        actor=Actor.of_user(contact),
        venture=cafe,
        to_stage="business_plan",
        reason=story["move_reason"],
    )
    moved = at(day(story["moved_on"]))
    StageChange.objects.filter(venture=cafe, to_stage="business_plan").update(moved_at=moved)
    Venture.objects.filter(pk=cafe.pk).update(stage_since=moved)
    plan_items = ChecklistItem.objects.filter(
        venture=cafe, template_item__stage="business_plan"
    ).order_by("template_item__position")
    for index, item in enumerate(plan_items[:2]):
        checklists.tick_item(actor=Actor.of_user(guide or contact), item=item, done=True)
        ticks.append((item, day(story["plan_ticked_from"]) + dt.timedelta(days=7 * index)))
    for item, ticked in ticks:
        ChecklistItem.objects.filter(pk=item.pk).update(done_at=at(ticked))
    services.save_canvas(actor=Actor.of_user(contact), venture=cafe, blocks=data["cafe_canvas"])
    team = TeamMember.objects.filter(venture=cafe, kind=MemberKind.PARTICIPANT)
    team.update(starts_on=day(story["team_from"]))  # they joined when the proposals were accepted
    members = list(team.order_by("pk"))
    plan = milestones.save_task(
        actor=Actor.of_user(contact),
        venture=cafe,
        kind=TaskKind.MILESTONE,
        title=story["plan"]["title"],
        due_on=day(story["plan"]["due_on"]),
        owner_user=contact,
    )
    for spec in story["tasks"]:
        # "guide", or "member:<n>", the café's n-th participant in the team (none if fewer)
        owner, _, index = spec["owner"].partition(":")
        user = guide if owner == "guide" else None
        member = members[int(index) : int(index) + 1] if owner == "member" else []
        title, due, done = spec["title"], day(spec["due_on"]), spec["done"]
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
        title=story["opening"]["title"],
        due_on=day(story["opening"]["due_on"]),
        owner_user=guide,
    )
    draft_spec = story["draft"]
    draft = SimpleUploadedFile(
        draft_spec["file_name"], _draft_pdf(draft_spec["text"]), content_type="application/pdf"
    )
    document = documents.attach_document(
        actor=Actor.of_user(contact),
        venture=cafe,
        upload=draft,
        file_type=PDF,
        title=draft_spec["title"],
    )
    uploaded = at(day(draft_spec["uploaded_on"]))
    Document.objects.filter(pk=document.pk).update(uploaded_at=uploaded)


def _draft_pdf(line: str) -> bytes:
    """A one-page PDF saying what it is (one line of ASCII), built by hand so the demo needs
    no PDF library."""
    text = b"BT /F1 16 Tf 72 770 Td (%s) Tj ET" % line.encode("ascii")
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
    for change, (_stage, moved) in zip(changes, stages, strict=True):
        moment = timezone.make_aware(dt.datetime.combine(moved, dt.time(10)))
        StageChange.objects.filter(pk=change.pk).update(moved_at=moment)
    last = timezone.make_aware(dt.datetime.combine(stages[-1][1], dt.time(10)))
    first = timezone.make_aware(dt.datetime.combine(stages[0][1], dt.time(10)))
    Venture.objects.filter(pk=venture.pk).update(stage_since=last, created_at=first)
