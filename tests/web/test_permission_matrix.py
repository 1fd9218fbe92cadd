"""Every URL pattern against every role, an outsider and an anonymous visitor.

A URL pattern without an entry here fails the suite: a new page must say who may see it.
Roles: programme leader, coordinator, contact person (of subproject A), guide (of subproject
A), user representative, researcher, participant, an outsider (coordinator of another
programme) and anonymous. The activity under test involves subproject B only and is not open to
participants; the action belongs to subproject A and is owned by the coordinator.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from samvirke.participants.models import Participant
from samvirke.participants.services import give_consent
from tests.conftest import Cast, sign_in
from tests.factories import (
    ActionFactory,
    ActivityFactory,
    GoalFactory,
    IndicatorFactory,
    MeasureFactory,
    MilestoneFactory,
    ParticipantFactory,
    ProjectGroupMemberFactory,
    ReferralFactory,
    RegistrationFactory,
    measure_args,
    service_map_args,
    venture_args,
)

ROLES = [
    "leader",
    "coordinator",
    "contact",
    "guide",
    "user_rep",
    "researcher",
    "participant",
    "outsider",
    "anonymous",
]


def codes(*values: int) -> dict[str, int]:
    assert len(values) == len(ROLES)
    return dict(zip(ROLES, values, strict=True))


#            lead coord cont guide urep  res  part  out  anon
MANAGERS = codes(200, 200, 403, 403, 403, 403, 403, 404, 302)
MANAGERS_POST = codes(302, 302, 403, 403, 403, 403, 403, 404, 302)
WORKSPACE = codes(200, 200, 200, 200, 200, 200, 403, 404, 302)
MEMBERS = codes(200, 200, 200, 200, 200, 200, 200, 404, 302)
SIGNED_IN = codes(200, 200, 200, 200, 200, 200, 200, 200, 302)
EVERYONE = codes(200, 200, 200, 200, 200, 200, 200, 200, 200)
REDIRECT_ALL = codes(302, 302, 302, 302, 302, 302, 302, 302, 302)
# The activity under test is hidden from participants (404) and not the contact's or guide's.
ACTIVITY_MANAGERS = codes(200, 200, 403, 403, 403, 403, 404, 404, 302)
# Participant records: managers, and contact persons and guides who follow the person.
FOLLOWERS = codes(200, 200, 200, 200, 403, 403, 403, 404, 302)
FOLLOWERS_OF_RECORD = codes(200, 200, 200, 200, 404, 404, 404, 404, 302)
# A participant's own pages (managers pass the check but have no record of their own: 404).
SELF = codes(404, 404, 403, 403, 403, 403, 200, 404, 302)
SELF_POST = codes(404, 404, 403, 403, 403, 403, 302, 404, 302)
RESEARCH = codes(200, 200, 403, 403, 403, 200, 403, 404, 302)
EVALUATION = codes(200, 200, 403, 403, 200, 200, 403, 404, 302)
VENTURE_READERS = codes(200, 200, 200, 200, 403, 200, 403, 404, 302)
VENTURE_MANAGERS = codes(200, 200, 200, 403, 403, 403, 403, 404, 302)
VENTURE_MANAGERS_POST = codes(400, 400, 400, 403, 403, 403, 403, 404, 302)
# The work on a venture: its contact person and guides of its team, not researchers.
VENTURE_WORKERS = codes(200, 200, 200, 200, 403, 403, 403, 404, 302)
VENTURE_WORKERS_POST = codes(400, 400, 400, 400, 403, 403, 403, 404, 302)


@dataclass(frozen=True)
class Entry:
    method: str
    expect: dict[str, int]
    kwargs: str = ""  # which objects fill the URL


MATRIX: dict[str, Entry] = {
    "home": Entry("get", SIGNED_IN),
    "health": Entry("get", EVERYONE),
    "accounts:login": Entry("get", codes(302, 302, 302, 302, 302, 302, 302, 302, 200)),
    "accounts:logout": Entry("post", REDIRECT_ALL),
    "accounts:password_reset": Entry("get", EVERYONE),
    "accounts:password_reset_sent": Entry("get", EVERYONE),
    "accounts:password_set": Entry("get", EVERYONE, "password_link"),
    "accounts:password_set_done": Entry("get", EVERYONE),
    "accounts:sign_in_link_request": Entry("get", EVERYONE),
    "accounts:sign_in_link_sent": Entry("get", EVERYONE),
    # A spent or forged link: nobody gets in.
    "accounts:sign_in_link": Entry("get", codes(*[404] * 9), "sign_in_link"),
    "accounts:two_factor_setup": Entry("get", SIGNED_IN),
    # Staff have an authenticator; the others are sent to set one up.
    "accounts:two_factor_verify": Entry("get", codes(200, 200, 200, 200, 302, 200, 302, 200, 302)),
    "accounts:recovery_codes": Entry("post", codes(200, 200, 200, 200, 302, 200, 302, 200, 302)),
    "accounts:profile": Entry("get", SIGNED_IN),
    "accounts:change_password": Entry("post", codes(400, 400, 400, 400, 400, 400, 400, 400, 302)),
    "accounts:set_language": Entry("post", REDIRECT_ALL),
    "programmes:dashboard": Entry("get", MEMBERS, "slug"),
    "programmes:edit": Entry("get", MANAGERS, "slug"),
    "programmes:partners": Entry("get", WORKSPACE, "slug"),
    "programmes:partner_add": Entry("get", MANAGERS, "slug"),
    "programmes:partner_edit": Entry("get", MANAGERS, "partnership"),
    "programmes:partner_remove": Entry("post", MANAGERS_POST, "partnership"),
    "programmes:organisation_new": Entry("get", MANAGERS, "slug"),
    "programmes:organisation_edit": Entry("get", MANAGERS, "organisation"),
    "programmes:subprojects": Entry("get", WORKSPACE, "slug"),
    "programmes:subproject_new": Entry("get", MANAGERS, "slug"),
    "programmes:subproject": Entry("get", WORKSPACE, "subproject"),
    "programmes:subproject_edit": Entry(
        "get", codes(200, 200, 200, 403, 403, 403, 403, 404, 302), "subproject"
    ),
    "programmes:project_group": Entry("get", WORKSPACE, "slug"),
    "programmes:project_group_add": Entry("get", MANAGERS, "slug"),
    "programmes:project_group_remove": Entry("post", MANAGERS_POST, "group_member"),
    "programmes:goals": Entry("get", WORKSPACE, "slug"),
    "programmes:goal_new": Entry("get", MANAGERS, "slug"),
    "programmes:goal_edit": Entry("get", MANAGERS, "goal"),
    "programmes:indicator_new": Entry("get", MANAGERS, "slug"),
    "programmes:indicator_edit": Entry("get", MANAGERS, "indicator"),
    "programmes:milestone_new": Entry("get", MANAGERS, "slug"),
    "programmes:milestone_edit": Entry("get", MANAGERS, "milestone"),
    "programmes:members": Entry("get", MANAGERS, "slug"),
    "programmes:member_add": Entry("get", MANAGERS, "slug"),
    "programmes:member_remove": Entry("post", MANAGERS_POST, "membership"),
    "programmes:search": Entry("get", WORKSPACE, "slug"),
    "programmes:calendar_settings": Entry("get", WORKSPACE, "slug"),
    "activities:list": Entry("get", MEMBERS, "slug"),
    "activities:new": Entry("get", codes(200, 200, 200, 200, 403, 403, 403, 404, 302), "slug"),
    "activities:detail": Entry(
        "get", codes(200, 200, 200, 200, 200, 200, 404, 404, 302), "activity"
    ),
    "activities:edit": Entry("get", ACTIVITY_MANAGERS, "activity"),
    "activities:register": Entry(
        "post", codes(302, 302, 302, 302, 302, 302, 404, 404, 302), "activity"
    ),
    # Everyone in the programme is registered for the open activity and may cancel.
    "activities:cancel": Entry(
        "post", codes(302, 302, 302, 302, 302, 302, 302, 404, 302), "open_activity"
    ),
    "activities:register_person": Entry(
        "post", codes(302, 302, 403, 403, 403, 403, 404, 404, 302), "activity"
    ),
    "activities:attendance": Entry("get", ACTIVITY_MANAGERS, "activity"),
    "activities:decision_new": Entry(
        "post", codes(400, 400, 403, 403, 403, 403, 404, 404, 302), "activity"
    ),
    "activities:action_new": Entry("get", ACTIVITY_MANAGERS, "activity"),
    "activities:actions": Entry("get", WORKSPACE, "slug"),
    "activities:action_edit": Entry(
        "get", codes(200, 200, 200, 403, 403, 403, 403, 404, 302), "action"
    ),
    "activities:calendar_feed": Entry("get", EVERYONE, "calendar"),
    "audit:log": Entry("get", MANAGERS, "slug"),
    "audit:export": Entry("get", MANAGERS, "slug"),
    # The participant record under test is in subproject A and guided by the guide.
    "participants:list": Entry("get", FOLLOWERS, "slug"),
    "participants:new": Entry("get", FOLLOWERS, "slug"),
    "participants:detail": Entry("get", FOLLOWERS_OF_RECORD, "participant"),
    "participants:edit": Entry("get", FOLLOWERS_OF_RECORD, "participant"),
    "participants:identity": Entry(
        "post", codes(400, 400, 400, 400, 404, 404, 404, 404, 302), "participant"
    ),
    "participants:sign_in_access": Entry(
        "post", codes(302, 302, 302, 302, 404, 404, 404, 404, 302), "participant"
    ),
    # Nothing is waiting for confirmation: followers are sent back with a message.
    "participants:sign_in_confirm": Entry(
        "post", codes(302, 302, 302, 302, 404, 404, 404, 404, 302), "participant"
    ),
    "participants:sign_in_approve": Entry(
        "post", codes(302, 302, 302, 302, 404, 404, 404, 404, 302), "participant"
    ),
    "participants:consent_record": Entry(
        "post", codes(302, 302, 302, 302, 404, 404, 404, 404, 302), "participant"
    ),
    "participants:consent_withdraw": Entry(
        "post", codes(302, 302, 302, 302, 404, 404, 404, 404, 302), "consent"
    ),
    "participants:me": Entry("get", SELF, "own_record"),
    "participants:my_details": Entry("get", SELF, "own_record"),
    "participants:my_consent_give": Entry("post", SELF_POST, "own_record"),
    "participants:my_consent_withdraw": Entry("post", SELF_POST, "consent"),
    "participants:my_access_log": Entry("get", SELF, "own_record"),
    "participants:my_data": Entry("get", SELF, "own_record"),
    "participants:my_data_file": Entry("get", SELF, "own_record"),
    "participants:my_erasure": Entry("get", SELF, "own_record"),
    "participants:export": Entry("get", MANAGERS, "participant"),
    "participants:export_file": Entry("get", MANAGERS, "participant"),
    "participants:erasure_requests": Entry("get", MANAGERS, "slug"),
    # The record under test has asked for erasure; a refusal without a reason is refused.
    "participants:erasure_confirm": Entry("post", MANAGERS_POST, "erasure_request"),
    "participants:erasure_refuse": Entry(
        "post", codes(400, 400, 403, 403, 403, 403, 403, 404, 302), "erasure_request"
    ),
    # Pseudonymised research data: researchers and managers.
    "evaluation:research_data": Entry("get", RESEARCH, "slug"),
    # A POST: an empty one asks for the defaults, refused here (fewer than 5 people): 400.
    "evaluation:research_data_file": Entry(
        "post", codes(400, 400, 403, 403, 403, 400, 403, 404, 302), "slug"
    ),
    "evaluation:research_codebook": Entry("get", RESEARCH, "slug"),
    # The evaluation: researchers, user representatives (suppressed) and managers; runs are
    # started by researchers and managers (an empty POST lacks the seed: 400).
    "evaluation:evaluation": Entry("get", EVALUATION, "slug"),
    "evaluation:evaluation_start": Entry(
        "post", codes(400, 400, 403, 403, 403, 400, 403, 404, 302), "slug"
    ),
    "evaluation:evaluation_progress": Entry("get", EVALUATION, "slug"),
    "evaluation:evaluation_report": Entry("get", EVALUATION, "analysis_run"),
    "evaluation:evaluation_report_pdf": Entry("get", EVALUATION, "analysis_run"),
    "evaluation:evaluation_chart": Entry("get", EVALUATION, "analysis_chart"),
    "evaluation:evaluation_chart_png": Entry("get", EVALUATION, "analysis_chart"),
    # The service map: every member browses, managers edit; the public version when published.
    "measures:services": Entry("get", MEMBERS, "slug"),
    "measures:service": Entry("get", MEMBERS, "service"),
    "measures:service_new": Entry("get", MANAGERS, "slug"),
    "measures:service_edit": Entry("get", MANAGERS, "service"),
    "measures:service_map_publication": Entry("get", MANAGERS, "slug"),
    "measures:pathways": Entry("get", MEMBERS, "slug"),
    "measures:pathway": Entry("get", MEMBERS, "pathway"),
    "measures:pathway_compare": Entry("get", MEMBERS, "situation"),
    "measures:pathway_new": Entry("get", MANAGERS, "slug"),
    "measures:pathway_edit": Entry("get", MANAGERS, "pathway"),
    "measures:pathway_step_new": Entry("get", MANAGERS, "pathway"),
    "measures:pathway_step_edit": Entry("get", MANAGERS, "pathway_step"),
    "measures:pathway_step_remove": Entry("post", MANAGERS_POST, "pathway_step"),
    "measures:public_services": Entry("get", EVERYONE, "service_map"),
    "measures:public_service": Entry("get", EVERYONE, "service"),
    "measures:public_pathways": Entry("get", EVERYONE, "service_map"),
    "measures:public_pathway": Entry("get", EVERYONE, "pathway"),
    "measures:public_pathway_compare": Entry("get", EVERYONE, "situation"),
    # Measures: the workspace reads the catalogue; the people in a measure of subproject A are
    # for managers and subproject A's contact person and guide, never researchers or user reps.
    "measures:measures": Entry("get", WORKSPACE, "slug"),
    "measures:measure_new": Entry(
        "get", codes(200, 200, 200, 403, 403, 403, 403, 404, 302), "slug"
    ),
    "measures:measure": Entry("get", WORKSPACE, "measure"),
    "measures:measure_edit": Entry(
        "get", codes(200, 200, 200, 403, 403, 403, 403, 404, 302), "measure"
    ),
    "measures:plan_sessions": Entry(
        "post", codes(302, 302, 302, 403, 403, 403, 403, 404, 302), "measure"
    ),
    "measures:enrol": Entry("get", codes(200, 200, 200, 200, 403, 403, 403, 404, 302), "measure"),
    "measures:attendance": Entry(
        "get", codes(200, 200, 200, 200, 403, 403, 403, 404, 302), "session"
    ),
    "measures:enrolment": Entry(
        "get", codes(200, 200, 200, 200, 404, 404, 403, 404, 302), "enrolment"
    ),
    # An empty form is refused with 400 by those who may change the status.
    "measures:enrolment_status": Entry(
        "post", codes(400, 400, 400, 400, 404, 404, 403, 404, 302), "enrolment"
    ),
    "measures:notes": Entry("get", codes(200, 200, 200, 200, 404, 404, 403, 404, 302), "enrolment"),
    "measures:journey": Entry("get", FOLLOWERS_OF_RECORD, "participant"),
    # Export and import: the catalogue for the workspace, people for those who work in it.
    "measures:measures_export": Entry("get", WORKSPACE, "slug"),
    "measures:measures_import": Entry("get", MANAGERS, "slug"),
    "measures:measures_import_template": Entry("get", MANAGERS, "slug"),
    "measures:enrolments_export": Entry(
        "get", codes(200, 200, 200, 200, 403, 403, 403, 404, 302), "measure"
    ),
    "measures:attendance_export": Entry(
        "get", codes(200, 200, 200, 200, 403, 403, 403, 404, 302), "measure"
    ),
    "measures:measure_import": Entry(
        "get", codes(200, 200, 200, 200, 403, 403, 403, 404, 302), "measure"
    ),
    "measures:measure_import_template": Entry(
        "get", codes(200, 200, 200, 200, 403, 403, 403, 404, 302), "measure"
    ),
    "measures:my_journey": Entry("get", SELF, "own_record"),
    # Referrals: those who follow the participant refer and withdraw; the staff of the receiving
    # measure's subproject (B, for the referral under test) answer, nobody of A.
    "measures:referrals": Entry("get", FOLLOWERS, "participant"),
    "measures:referral_withdraw": Entry(
        "post", codes(302, 302, 302, 302, 403, 403, 403, 404, 302), "referral"
    ),
    "measures:referral_answer": Entry(
        "post", codes(400, 400, 404, 404, 404, 404, 403, 404, 302), "referral"
    ),
    "measures:measure_referrals": Entry(
        "get", codes(200, 200, 200, 200, 403, 403, 403, 404, 302), "measure"
    ),
    "mapping:occupation_search": Entry("get", SIGNED_IN),
    "mapping:participant": Entry("get", FOLLOWERS_OF_RECORD, "participant"),
    "mapping:new": Entry("get", FOLLOWERS_OF_RECORD, "participant"),
    "mapping:mine": Entry("get", SELF, "own_record"),
    "mapping:my_new": Entry("get", SELF, "own_record"),
    "evaluation:my_questionnaires": Entry("get", SELF, "own_record"),
    "evaluation:questionnaires_due": Entry("get", FOLLOWERS, "slug"),
    # The questionnaire under test is the participant's, whom the contact and guide follow.
    "evaluation:questionnaire_enter": Entry("get", FOLLOWERS, "own_questionnaire"),
    "evaluation:questionnaire_import": Entry("get", FOLLOWERS, "slug"),
    "evaluation:instruments": Entry("get", MANAGERS, "slug"),
    "evaluation:instrument_new": Entry("get", MANAGERS, "slug"),
    "evaluation:questionnaire_import_template": Entry("get", FOLLOWERS, "instrument"),
    "evaluation:safety_alert_followed_up": Entry(
        "post", codes(302, 302, 302, 302, 403, 403, 403, 404, 302), "safety_alert"
    ),
    "evaluation:my_questionnaire": Entry("get", SELF, "own_questionnaire"),
    "evaluation:my_questionnaire_submit": Entry("get", SELF, "own_questionnaire"),
    "mapping:resource_map": Entry("get", WORKSPACE, "slug"),
    "mapping:team_candidates": Entry("get", FOLLOWERS, "team_candidates"),
    # Member imports: managers, and contact persons into their own subprojects.
    "mapping:import": Entry("get", codes(200, 200, 200, 403, 403, 403, 403, 404, 302), "slug"),
    "mapping:import_template": Entry(
        "get", codes(200, 200, 200, 403, 403, 403, 403, 404, 302), "slug"
    ),
    # An uploaded file is shown only to whoever uploaded it (here the contact person).
    "mapping:import_batch": Entry(
        "get", codes(404, 404, 200, 403, 403, 403, 403, 404, 302), "import_batch"
    ),
    # Ventures: the venture under test is subproject A's, with the guide's participant on its
    # team; user representatives see the pipeline's aggregates only.
    "ventures:list": Entry("get", VENTURE_READERS, "slug"),
    "ventures:board": Entry("get", VENTURE_READERS, "slug"),
    "ventures:pipeline": Entry("get", WORKSPACE, "slug"),
    "ventures:new": Entry("get", VENTURE_MANAGERS, "slug"),
    "ventures:detail": Entry("get", VENTURE_READERS, "venture"),
    "ventures:edit": Entry("get", VENTURE_MANAGERS, "venture"),
    "ventures:move": Entry("post", VENTURE_MANAGERS_POST, "venture"),
    "ventures:member_add": Entry("get", VENTURE_MANAGERS, "venture"),
    "ventures:need_add": Entry("get", VENTURE_MANAGERS, "venture"),
    "ventures:outcome": Entry("get", VENTURE_MANAGERS, "venture"),
    "ventures:canvas": Entry("get", VENTURE_READERS, "venture"),
    "ventures:formation": Entry("get", VENTURE_MANAGERS, "slug"),
    # The run under test was started by the contact person: theirs and the managers'.
    "ventures:formation_run": Entry("get", VENTURE_MANAGERS, "venture_run"),
    "ventures:proposal_decide": Entry("post", VENTURE_MANAGERS_POST, "venture_proposal"),
    "ventures:checklists": Entry("get", MANAGERS, "slug"),
    "ventures:checklists_seed": Entry("post", MANAGERS_POST, "slug"),
    "ventures:checklist_template_new": Entry("get", MANAGERS, "slug"),
    "ventures:checklist_template_edit": Entry("get", MANAGERS, "checklist_template"),
    "ventures:checklist_template_action": Entry(
        "post", codes(400, 400, 403, 403, 403, 403, 403, 404, 302), "checklist_template"
    ),
    "ventures:checklist_tick": Entry("post", VENTURE_WORKERS_POST, "venture_checklist_item"),
    "ventures:task_new": Entry("get", VENTURE_WORKERS, "venture"),
    "ventures:task_edit": Entry("get", VENTURE_WORKERS, "venture_task"),
    "ventures:task_done": Entry("post", VENTURE_WORKERS_POST, "venture_task"),
    "ventures:document_new": Entry("get", VENTURE_WORKERS, "venture"),
    "ventures:document_download": Entry("get", VENTURE_WORKERS, "venture_document"),
    "ventures:document_delete": Entry(
        "post", codes(302, 302, 302, 403, 403, 403, 403, 404, 302), "venture_document"
    ),
    "ventures:my_proposals": Entry("get", SELF, "own_record"),
    "ventures:my_proposal_decline": Entry("post", SELF_POST, "own_proposal"),
}


def url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue  # the admin has its own test: superusers only
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_url_pattern_has_an_entry_in_the_matrix() -> None:
    assert url_names() == set(MATRIX)


def participant_record(cast: Cast) -> Participant:
    record = ParticipantFactory(
        programme=cast.programme, account=cast.participant, subprojects=[cast.subproject]
    )
    record.guides.set([cast.guide])
    return record


def build_url(name: str, entry: Entry, cast: Cast) -> str:
    slug = cast.programme.slug
    programme = cast.programme
    activity = ActivityFactory(programme=programme, subprojects=[cast.other_subproject])
    match entry.kwargs:
        case "":
            return reverse(name)
        case "slug":
            return reverse(name, args=[slug])
        case "partnership":
            return reverse(name, args=[slug, programme.partnerships.get().pk])
        case "organisation":
            return reverse(name, args=[slug, programme.partnerships.get().organisation_id])
        case "subproject":
            return reverse(name, args=[slug, cast.subproject.pk])
        case "group_member":
            member = ProjectGroupMemberFactory(programme=programme, user=cast.leader)
            return reverse(name, args=[slug, member.pk])
        case "goal":
            return reverse(name, args=[slug, GoalFactory(programme=programme).pk])
        case "indicator":
            goal = GoalFactory(programme=programme)
            return reverse(name, args=[slug, IndicatorFactory(goal=goal).pk])
        case "milestone":
            return reverse(name, args=[slug, MilestoneFactory(programme=programme).pk])
        case "membership":
            return reverse(name, args=[slug, cast.user_rep.memberships.get().pk])
        case "activity":
            return reverse(name, args=[slug, activity.public_id])
        case "open_activity":
            open_activity = ActivityFactory(programme=programme, open_to_participants=True)
            for role in ROLES[:7]:
                RegistrationFactory(activity=open_activity, user=cast.user(role))
            return reverse(name, args=[slug, open_activity.public_id])
        case "action":
            action = ActionFactory(
                programme=programme, owner=cast.coordinator, subproject=cast.subproject
            )
            return reverse(name, args=[slug, action.pk])
        case "own_record":
            participant_record(cast)
            return reverse(name, args=[slug])
        case "own_questionnaire":
            from tests.factories import who5_response

            return reverse(name, args=[slug, who5_response(participant_record(cast)).public_id])
        case "participant":
            record = participant_record(cast)
            return reverse(name, args=[slug, record.public_id])
        case "instrument":
            from samvirke.evaluation.instrument_services import load_instruments

            load_instruments(texts_folder=None)
            return reverse(name, args=[slug, "who5"])
        case "safety_alert":
            from tests.factories import safety_alert

            return reverse(name, args=[slug, safety_alert(participant_record(cast)).public_id])
        case "erasure_request":
            from samvirke.participants.data_rights import request_erasure

            record = participant_record(cast)
            request_erasure(actor=cast.participant, request=None, participant=record)
            return reverse(name, args=[slug, record.public_id])
        case "consent":
            record = participant_record(cast)
            consent = give_consent(
                actor=cast.coordinator,
                request=None,
                participant=record,
                purpose="research",
                method="paper",
            )
            if name.startswith("participants:my_"):
                return reverse(name, args=[slug, consent.pk])
            return reverse(name, args=[slug, record.public_id, consent.pk])
        case "import_batch":
            from samvirke.mapping.models import ImportBatch

            batch = ImportBatch.objects.create(
                programme=programme,
                subproject=cast.subproject,
                uploaded_by=cast.contact,
                country="SE",
                filename="members.csv",
                content=b"member id,name\n1,Test\n",
            )
            return reverse(name, args=[slug, batch.public_id])
        case "calendar":
            from samvirke.activities.services import calendar_token_for

            token = calendar_token_for(user=cast.coordinator, programme=programme)
            return reverse(name, args=[slug, token])
        case "service_map" | "service" | "pathway" | "pathway_step" | "situation":
            published = name.startswith("measures:public_")
            extra = service_map_args(entry.kwargs, programme, published=published)
            return reverse(name, args=[slug, *extra])
        case "measure" | "session" | "enrolment":
            record = participant_record(cast)
            extra = measure_args(
                entry.kwargs, programme, cast.subproject, participant=record, guide=cast.guide
            )
            return reverse(name, args=[slug, *extra])
        case "referral":
            measure = MeasureFactory(programme=programme, subproject=cast.other_subproject)
            referral = ReferralFactory(measure=measure, participant=participant_record(cast))
            return reverse(name, args=[slug, referral.public_id])
        case "checklist_template":
            from samvirke.ventures.checklists import seed_templates
            from samvirke.ventures.models import ChecklistTemplateItem

            seed_templates(programme=programme)
            item = ChecklistTemplateItem.objects.filter(programme=programme).first()
            return reverse(name, args=[slug, item.pk])  # type: ignore[union-attr]
        case (
            "venture"
            | "venture_run"
            | "venture_proposal"
            | "own_proposal"
            | "venture_checklist_item"
            | "venture_task"
            | "venture_document"
        ):
            record = participant_record(cast)
            extra = venture_args(
                entry.kwargs.removeprefix("venture_").replace("own_", ""),
                programme,
                cast.subproject,
                participant=record,
                started_by=cast.contact,
            )
            return reverse(name, args=[slug, *extra])
        case "team_candidates":
            return reverse(name, args=[slug]) + "?interest=cooking&skill=cooking"
        case "analysis_run":
            from tests.evaluation.analysis_data import finished_analysis

            return reverse(name, args=[slug, finished_analysis(programme)])
        case "analysis_chart":
            from tests.evaluation.analysis_data import finished_analysis

            return reverse(name, args=[slug, finished_analysis(programme), "who5", "flow"])
        case "sign_in_link":
            return reverse(name, args=["not-a-token"])
        case "password_link":  # an invalid link: the page says so
            return reverse(name, args=["MQ", "not-a-token"])
    raise AssertionError(entry.kwargs)


DENIED = {403, 404}


@cache
def refused_posts() -> frozenset[tuple[str, str]]:
    """(URL name, role) for each page that also takes a POST, and each role refused its GET."""
    from tests.web.routes import allowed_methods, url_views

    views = url_views()
    pairs = set()
    for name, entry in MATRIX.items():
        if entry.method != "get" or "POST" not in allowed_methods(views[name]):
            continue
        for role in ROLES:
            code = entry.expect[role]
            if code in DENIED or (role == "anonymous" and code == 302):
                pairs.add((name, role))
    return frozenset(pairs)


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_url_answers_each_role_as_the_matrix_says(cast: Cast, name: str, role: str) -> None:
    # given
    entry = MATRIX[name]
    url = build_url(name, entry, cast)
    client = Client()
    if role != "anonymous":
        user = cast.user(role)
        staff = role not in {"participant", "user_rep"}
        sign_in(client, user, second_factor=staff)
    # when
    response = getattr(client, entry.method)(url)
    # then
    assert response.status_code == entry.expect[role], (name, role, response.status_code)
    if (name, role) in refused_posts():
        # A role refused the page is refused its POST too, before any form is read.
        posted = client.post(url, {})
        assert posted.status_code == entry.expect[role], (name, role, "POST", posted.status_code)


def test_refused_posts_are_checked_for_pages_that_take_them() -> None:
    assert ("programmes:edit", "researcher") in refused_posts()
    assert ("measures:measures_import", "guide") in refused_posts()


def test_admin_is_for_superusers_only(cast: Cast) -> None:
    # given
    cast.coordinator.is_superuser = True
    cast.coordinator.is_staff = True
    cast.coordinator.save()
    # when
    as_superuser = sign_in(Client(), cast.coordinator).get("/admin/")
    as_leader = sign_in(Client(), cast.leader).get("/admin/")
    # then
    assert as_superuser.status_code == 200
    assert as_leader.status_code == 302


def test_admin_shows_a_superuser_only_the_programmes_they_manage(cast: Cast) -> None:
    # given
    cast.researcher.is_superuser = True
    cast.researcher.is_staff = True
    cast.researcher.save()
    # when
    response = sign_in(Client(), cast.researcher).get("/admin/programmes/programme/")
    # then
    assert response.status_code == 200
    assert cast.programme.slug not in response.content.decode()
