"""The route table: every named URL pattern, who may open it, how to fuzz it and how to tour it.

The permission matrix (tests/web/test_permission_matrix.py), the fuzzing of forms
(tests/web/test_fuzz_forms.py) and the accessibility tour (tests/browser/test_accessibility.py)
all build their URLs from ROUTES, and each of them fails the suite for a URL pattern the table
does not know. A new page adds one entry to ROUTES; a new kind of object in an address adds one
method to ``Scene``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from samvirke.audit.actor import Actor
from samvirke.participants.models import Participant
from samvirke.participants.services import give_consent
from tests.conftest import ROLE_ATTRS, Cast
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
    safety_alert,
    service_map_args,
    venture_args,
    who5_response,
)

ANY_METHOD = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def url_patterns() -> dict[str, URLPattern]:
    """``namespace:name`` → pattern for every named URL pattern outside the admin."""
    found: dict[str, URLPattern] = {}

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue  # Django's own admin; tests/web/test_permission_matrix.py covers it
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found[f"{namespace}{pattern.name}"] = pattern

    walk(get_resolver().url_patterns, "")
    return found


def url_views() -> dict[str, Callable[..., Any]]:
    """``namespace:name`` → view for every named URL pattern outside the admin."""
    return {name: pattern.callback for name, pattern in url_patterns().items()}


def has_numeric_id(name: str) -> bool:
    """Whether the pattern's path holds an ``<int:…>``."""
    pattern = url_patterns().get(name)
    converters = getattr(pattern.pattern, "converters", {}) if pattern else {}
    return any(isinstance(converter, IntConverter) for converter in converters.values())


def allowed_methods(view: Callable[..., Any]) -> frozenset[str]:
    """The methods the view answers, read from ``require_http_methods`` (or ``require_GET``,
    ``require_POST``) anywhere in its chain of decorators; a view without one answers any."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return frozenset(
            method.upper() for method in view_class.http_method_names if hasattr(view_class, method)
        )
    function: Any = view
    while function is not None:
        code = getattr(function, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = function.__closure__[code.co_freevars.index("request_method_list")]
            return frozenset(cell.cell_contents)
        function = getattr(function, "__wrapped__", None)
    return ANY_METHOD


def names_answering(method: str) -> set[str]:
    return {name for name, view in url_views().items() if method in allowed_methods(view)}


ROLES = [*ROLE_ATTRS, "anonymous"]


def codes(*values: int) -> dict[str, int]:
    """The HTTP status each role gets, in the order of ROLES."""
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
# A research export's page, progress and file: only the researcher who asked for it; managers
# of the programme get the 404 of a file that does not exist.
OWN_EXPORT = codes(404, 404, 403, 403, 403, 200, 403, 404, 302)
EVALUATION = codes(200, 200, 403, 403, 200, 200, 403, 404, 302)
VENTURE_READERS = codes(200, 200, 200, 200, 403, 200, 403, 404, 302)
VENTURE_MANAGERS = codes(200, 200, 200, 403, 403, 403, 403, 404, 302)
VENTURE_MANAGERS_POST = codes(400, 400, 400, 403, 403, 403, 403, 404, 302)
# The work on a venture: its contact person and guides of its team, not researchers.
VENTURE_WORKERS = codes(200, 200, 200, 200, 403, 403, 403, 404, 302)
VENTURE_WORKERS_POST = codes(400, 400, 400, 400, 403, 403, 403, 404, 302)


@dataclass(frozen=True)
class Fuzz:
    """Random forms are posted to the route, by a manager or by whom ``who`` says."""

    kind: str | None = None  # another kind of object than the route's, when fuzzing needs one
    who: str = "coordinator"  # "coordinator", "participant" (their own pages) or "visitor"


@dataclass(frozen=True)
class Visit:
    """One visit of the accessibility tour."""

    who: str  # "visitor" (signed out, on a phone), "coordinator" or "participant"
    kind: str | None = None  # another kind of object than the route's, when the page needs one
    query: str | None = None  # another query than the route's


@dataclass(frozen=True)
class Route:
    expect: dict[str, int]  # the status each role gets (the permission matrix)
    kind: str = ""  # which objects fill the URL: a method of Scene
    method: str = "get"  # how the matrix asks
    query: str = ""  # added to the address
    fuzz: Fuzz | None = None  # None: the route takes no POST, or ``not_fuzzed`` says why
    not_fuzzed: str = ""
    tour: tuple[Visit, ...] = ()  # empty: the route answers no GET, or ``not_page`` says why
    not_page: str = ""


ROUTES: dict[str, Route] = {
    "accounts:login": Route(
        expect=codes(302, 302, 302, 302, 302, 302, 302, 302, 200),
        fuzz=Fuzz(who="visitor"),
        tour=(Visit("visitor"),),
    ),
    "accounts:sign_in_link_request": Route(
        expect=EVERYONE, fuzz=Fuzz(who="visitor"), tour=(Visit("visitor"),)
    ),
    "accounts:sign_in_link_sent": Route(expect=EVERYONE, tour=(Visit("visitor"),)),
    # A spent or forged link: nobody gets in.
    "accounts:sign_in_link": Route(
        kind="sign_in_link",
        expect=codes(*[404] * 9),
        fuzz=Fuzz(who="visitor"),
        tour=(Visit("visitor"),),
    ),
    "accounts:password_reset": Route(
        expect=EVERYONE, fuzz=Fuzz(who="visitor"), tour=(Visit("visitor"),)
    ),
    "accounts:password_reset_sent": Route(expect=EVERYONE, tour=(Visit("visitor"),)),
    "accounts:password_set": Route(
        kind="password_link", expect=EVERYONE, fuzz=Fuzz(who="visitor"), tour=(Visit("visitor"),)
    ),
    "accounts:password_set_done": Route(expect=EVERYONE, tour=(Visit("visitor"),)),
    "home": Route(expect=SIGNED_IN, fuzz=Fuzz(), tour=(Visit("coordinator"),)),
    "health": Route(
        expect=EVERYONE, fuzz=Fuzz(), not_page="plain text for the load balancer's health probe"
    ),
    "accounts:logout": Route(method="post", expect=REDIRECT_ALL, fuzz=Fuzz()),
    "accounts:two_factor_setup": Route(expect=SIGNED_IN, fuzz=Fuzz(), tour=(Visit("participant"),)),
    # Staff have an authenticator; the others are sent to set one up.
    "accounts:two_factor_verify": Route(
        expect=codes(200, 200, 200, 200, 302, 200, 302, 200, 302),
        fuzz=Fuzz(),
        tour=(Visit("coordinator"),),
    ),
    "accounts:recovery_codes": Route(
        method="post", expect=codes(200, 200, 200, 200, 302, 200, 302, 200, 302), fuzz=Fuzz()
    ),
    "accounts:profile": Route(expect=SIGNED_IN, fuzz=Fuzz(), tour=(Visit("coordinator"),)),
    "accounts:change_password": Route(
        method="post", expect=codes(400, 400, 400, 400, 400, 400, 400, 400, 302), fuzz=Fuzz()
    ),
    "accounts:set_language": Route(method="post", expect=REDIRECT_ALL, fuzz=Fuzz()),
    "programmes:dashboard": Route(
        kind="slug",
        expect=MEMBERS,
        fuzz=Fuzz(),
        tour=(
            Visit("coordinator"),
            Visit("participant"),
        ),
    ),
    "programmes:edit": Route(
        kind="slug", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "programmes:partners": Route(
        kind="slug", expect=WORKSPACE, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "programmes:partner_add": Route(
        kind="slug", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "programmes:partner_edit": Route(
        kind="partnership", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "programmes:partner_remove": Route(
        kind="partnership", method="post", expect=MANAGERS_POST, fuzz=Fuzz()
    ),
    "programmes:organisation_new": Route(
        kind="slug", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "programmes:organisation_edit": Route(
        kind="organisation", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "programmes:subprojects": Route(
        kind="slug", expect=WORKSPACE, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "programmes:subproject_new": Route(
        kind="slug", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "programmes:subproject": Route(
        kind="subproject", expect=WORKSPACE, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "programmes:subproject_edit": Route(
        kind="subproject",
        expect=codes(200, 200, 200, 403, 403, 403, 403, 404, 302),
        fuzz=Fuzz(),
        tour=(Visit("coordinator"),),
    ),
    "programmes:project_group": Route(
        kind="slug", expect=WORKSPACE, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "programmes:project_group_add": Route(
        kind="slug", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "programmes:project_group_remove": Route(
        kind="group_member", method="post", expect=MANAGERS_POST, fuzz=Fuzz()
    ),
    "programmes:goals": Route(
        kind="slug", expect=WORKSPACE, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "programmes:goal_new": Route(
        kind="slug", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "programmes:goal_edit": Route(
        kind="goal", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "programmes:indicator_new": Route(
        kind="slug", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "programmes:indicator_edit": Route(
        kind="indicator", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "programmes:milestone_new": Route(
        kind="slug", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "programmes:milestone_edit": Route(
        kind="milestone", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "programmes:members": Route(
        kind="slug", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "programmes:member_add": Route(
        kind="slug", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "programmes:member_remove": Route(
        kind="membership", method="post", expect=MANAGERS_POST, fuzz=Fuzz()
    ),
    "programmes:search": Route(
        kind="slug",
        expect=WORKSPACE,
        fuzz=Fuzz(),
        tour=(Visit("coordinator", query="?q=Stj%C3%B8rdal"),),
    ),
    "programmes:calendar_settings": Route(
        kind="slug", expect=WORKSPACE, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "activities:list": Route(
        kind="slug",
        expect=MEMBERS,
        tour=(
            Visit("coordinator"),
            Visit("participant"),
        ),
    ),
    "activities:new": Route(
        kind="slug",
        expect=codes(200, 200, 200, 200, 403, 403, 403, 404, 302),
        fuzz=Fuzz(),
        tour=(Visit("coordinator"),),
    ),
    "activities:detail": Route(
        kind="activity",
        expect=codes(200, 200, 200, 200, 200, 200, 404, 404, 302),
        fuzz=Fuzz(),
        tour=(
            Visit("coordinator"),
            Visit("participant", kind="open_activity"),
            Visit("participant"),
        ),
    ),
    "activities:edit": Route(
        kind="activity", expect=ACTIVITY_MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "activities:register": Route(
        kind="activity",
        method="post",
        expect=codes(302, 302, 302, 302, 302, 302, 404, 404, 302),
        fuzz=Fuzz(),
    ),
    # Everyone in the programme is registered for the open activity and may cancel.
    "activities:cancel": Route(
        kind="open_activity",
        method="post",
        expect=codes(302, 302, 302, 302, 302, 302, 302, 404, 302),
        fuzz=Fuzz(kind="activity"),
    ),
    "activities:register_person": Route(
        kind="activity",
        method="post",
        expect=codes(302, 302, 403, 403, 403, 403, 404, 404, 302),
        fuzz=Fuzz(),
    ),
    "activities:attendance": Route(
        kind="activity", expect=ACTIVITY_MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "activities:decision_new": Route(
        kind="activity",
        method="post",
        expect=codes(400, 400, 403, 403, 403, 403, 404, 404, 302),
        fuzz=Fuzz(),
    ),
    "activities:action_new": Route(
        kind="activity", expect=ACTIVITY_MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "activities:actions": Route(kind="slug", expect=WORKSPACE, tour=(Visit("coordinator"),)),
    "activities:action_edit": Route(
        kind="action",
        expect=codes(200, 200, 200, 403, 403, 403, 403, 404, 302),
        fuzz=Fuzz(),
        tour=(Visit("coordinator"),),
    ),
    "activities:calendar_feed": Route(
        kind="calendar", expect=EVERYONE, not_page="an iCalendar feed for calendar apps"
    ),
    "audit:log": Route(kind="slug", expect=MANAGERS, tour=(Visit("coordinator"),)),
    # A download writes its export entry: a POST, filtered by the log page's query string.
    "audit:export": Route(kind="slug", method="post", expect=MANAGERS, fuzz=Fuzz()),
    # The participant record under test is in subproject A and guided by the guide.
    "participants:list": Route(kind="slug", expect=FOLLOWERS, tour=(Visit("coordinator"),)),
    "participants:new": Route(
        kind="slug", expect=FOLLOWERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "participants:detail": Route(
        kind="participant", expect=FOLLOWERS_OF_RECORD, tour=(Visit("coordinator"),)
    ),
    "participants:edit": Route(
        kind="participant", expect=FOLLOWERS_OF_RECORD, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "participants:identity": Route(
        kind="participant",
        method="post",
        expect=codes(400, 400, 400, 400, 404, 404, 404, 404, 302),
        fuzz=Fuzz(),
    ),
    "participants:sign_in_access": Route(
        kind="participant",
        method="post",
        expect=codes(302, 302, 302, 302, 404, 404, 404, 404, 302),
        fuzz=Fuzz(),
    ),
    # Nothing is waiting for confirmation: followers are sent back with a message.
    "participants:sign_in_confirm": Route(
        kind="participant",
        method="post",
        expect=codes(302, 302, 302, 302, 404, 404, 404, 404, 302),
        fuzz=Fuzz(),
    ),
    "participants:sign_in_approve": Route(
        kind="participant",
        method="post",
        expect=codes(302, 302, 302, 302, 404, 404, 404, 404, 302),
        fuzz=Fuzz(),
    ),
    "participants:consent_record": Route(
        kind="participant",
        method="post",
        expect=codes(302, 302, 302, 302, 404, 404, 404, 404, 302),
        fuzz=Fuzz(),
    ),
    "participants:consent_withdraw": Route(
        kind="consent",
        method="post",
        expect=codes(302, 302, 302, 302, 404, 404, 404, 404, 302),
        fuzz=Fuzz(),
    ),
    "participants:me": Route(kind="own_record", expect=SELF, tour=(Visit("participant"),)),
    "participants:my_details": Route(
        kind="own_record", expect=SELF, fuzz=Fuzz(who="participant"), tour=(Visit("participant"),)
    ),
    "participants:my_consent_give": Route(
        kind="own_record", method="post", expect=SELF_POST, fuzz=Fuzz(who="participant")
    ),
    "participants:my_consent_withdraw": Route(
        kind="consent", method="post", expect=SELF_POST, fuzz=Fuzz(who="participant")
    ),
    "participants:my_access_log": Route(
        kind="own_record", expect=SELF, tour=(Visit("participant"),)
    ),
    # A copy of all data: the page shows it after the explicit reveal (a POST, logged); the
    # file is a POST (the download writes its export entry).
    "participants:my_data": Route(
        kind="own_record", expect=SELF, fuzz=Fuzz(who="participant"), tour=(Visit("participant"),)
    ),
    "participants:my_data_file": Route(
        kind="own_record", method="post", expect=SELF, fuzz=Fuzz(who="participant")
    ),
    "participants:my_erasure": Route(
        kind="own_record", expect=SELF, fuzz=Fuzz(who="participant"), tour=(Visit("participant"),)
    ),
    "participants:export": Route(
        kind="participant", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "participants:export_file": Route(
        kind="participant", method="post", expect=MANAGERS, fuzz=Fuzz()
    ),
    "participants:erasure_requests": Route(
        kind="slug", expect=MANAGERS, tour=(Visit("coordinator"),)
    ),
    # The record under test has asked for erasure; a refusal without a reason is refused.
    "participants:erasure_confirm": Route(
        kind="erasure_request", method="post", expect=MANAGERS_POST, fuzz=Fuzz()
    ),
    "participants:erasure_refuse": Route(
        kind="erasure_request",
        method="post",
        expect=codes(400, 400, 403, 403, 403, 403, 403, 404, 302),
        fuzz=Fuzz(),
    ),
    # Pseudonymised research data: researchers and managers.
    "evaluation:research_data": Route(kind="slug", expect=RESEARCH, tour=(Visit("coordinator"),)),
    # A POST: an empty one asks for the defaults, refused here (fewer than 5 people): 400.
    "evaluation:research_data_file": Route(
        kind="slug",
        method="post",
        expect=codes(400, 400, 403, 403, 403, 400, 403, 404, 302),
        fuzz=Fuzz(),
    ),
    "evaluation:research_codebook": Route(
        kind="slug",
        expect=RESEARCH,
        not_page="a codebook download (HTML, PDF, CSV, JSON or Markdown)",
    ),
    "evaluation:research_export": Route(
        kind="research_export",
        expect=OWN_EXPORT,
        tour=(Visit("coordinator", kind="coordinators_research_export"),),
    ),
    "evaluation:research_export_progress": Route(
        kind="research_export",
        expect=OWN_EXPORT,
        not_page="an htmx fragment polled by the research export page",
    ),
    # A POST (it is logged and deletes the file): the file itself, to the one who asked only.
    "evaluation:research_export_download": Route(
        kind="research_export", method="post", expect=OWN_EXPORT, fuzz=Fuzz(who="researcher")
    ),
    # The evaluation: researchers, user representatives (suppressed) and managers; runs are
    # started by researchers and managers (an empty POST lacks the seed: 400).
    "evaluation:evaluation": Route(
        kind="slug", expect=EVALUATION, tour=(Visit("coordinator", kind="analysis_results"),)
    ),
    "evaluation:evaluation_start": Route(
        kind="slug",
        method="post",
        expect=codes(400, 400, 403, 403, 403, 400, 403, 404, 302),
        fuzz=Fuzz(),
    ),
    "evaluation:evaluation_progress": Route(
        kind="slug", expect=EVALUATION, not_page="an htmx fragment polled by the evaluation page"
    ),
    # A report (HTML or PDF) or a chart (SVG or PNG) of a run writes its export entry: a POST.
    "evaluation:evaluation_report": Route(
        kind="analysis_run", method="post", expect=EVALUATION, fuzz=Fuzz()
    ),
    "evaluation:evaluation_report_pdf": Route(
        kind="analysis_run",
        method="post",
        expect=EVALUATION,
        not_fuzzed="reads no field of the form; each PDF takes over a second to draw, and the "
        "HTML report it is drawn from is fuzzed",
    ),
    "evaluation:evaluation_chart": Route(
        kind="analysis_chart", method="post", expect=EVALUATION, fuzz=Fuzz()
    ),
    "evaluation:evaluation_chart_png": Route(
        kind="analysis_chart", method="post", expect=EVALUATION, fuzz=Fuzz()
    ),
    # The service map: every member browses, managers edit; the public version when published.
    "measures:services": Route(
        kind="slug",
        expect=MEMBERS,
        tour=(
            Visit("coordinator", query="?q=arbeidstrening"),
            Visit("participant"),
        ),
    ),
    "measures:service": Route(kind="service", expect=MEMBERS, tour=(Visit("coordinator"),)),
    "measures:service_new": Route(
        kind="slug", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "measures:service_edit": Route(
        kind="service", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "measures:service_map_publication": Route(
        kind="slug", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "measures:pathways": Route(kind="slug", expect=MEMBERS, tour=(Visit("coordinator"),)),
    "measures:pathway": Route(kind="pathway", expect=MEMBERS, tour=(Visit("coordinator"),)),
    "measures:pathway_compare": Route(
        kind="situation", expect=MEMBERS, tour=(Visit("coordinator"),)
    ),
    "measures:pathway_new": Route(
        kind="slug", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "measures:pathway_edit": Route(
        kind="pathway", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "measures:pathway_step_new": Route(
        kind="pathway", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "measures:pathway_step_edit": Route(
        kind="pathway_step", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "measures:pathway_step_remove": Route(
        kind="pathway_step", method="post", expect=MANAGERS_POST, fuzz=Fuzz()
    ),
    "measures:public_services": Route(
        kind="service_map", expect=EVERYONE, tour=(Visit("visitor"),)
    ),
    "measures:public_service": Route(kind="service", expect=EVERYONE, tour=(Visit("visitor"),)),
    "measures:public_pathways": Route(
        kind="service_map", expect=EVERYONE, tour=(Visit("visitor"),)
    ),
    "measures:public_pathway": Route(kind="pathway", expect=EVERYONE, tour=(Visit("visitor"),)),
    "measures:public_pathway_compare": Route(
        kind="situation", expect=EVERYONE, tour=(Visit("visitor"),)
    ),
    # Measures: the workspace reads the catalogue; the people in a measure of subproject A are
    # for managers and subproject A's contact person and guide, never researchers or user reps.
    "measures:measures": Route(
        kind="slug", expect=WORKSPACE, tour=(Visit("coordinator", query="?kind=work_training"),)
    ),
    "measures:measure_new": Route(
        kind="slug",
        expect=codes(200, 200, 200, 403, 403, 403, 403, 404, 302),
        fuzz=Fuzz(),
        tour=(Visit("coordinator"),),
    ),
    "measures:measure": Route(
        kind="measure", expect=WORKSPACE, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "measures:measure_edit": Route(
        kind="measure",
        expect=codes(200, 200, 200, 403, 403, 403, 403, 404, 302),
        fuzz=Fuzz(),
        tour=(Visit("coordinator"),),
    ),
    "measures:plan_sessions": Route(
        kind="measure",
        method="post",
        expect=codes(302, 302, 302, 403, 403, 403, 403, 404, 302),
        fuzz=Fuzz(),
    ),
    "measures:enrol": Route(
        kind="measure",
        expect=codes(200, 200, 200, 200, 403, 403, 403, 404, 302),
        fuzz=Fuzz(),
        tour=(Visit("coordinator"),),
    ),
    "measures:attendance": Route(
        kind="session",
        expect=codes(200, 200, 200, 200, 403, 403, 403, 404, 302),
        fuzz=Fuzz(),
        tour=(Visit("coordinator"),),
    ),
    "measures:enrolment": Route(
        kind="enrolment",
        expect=codes(200, 200, 200, 200, 404, 404, 403, 404, 302),
        fuzz=Fuzz(),
        tour=(Visit("coordinator"),),
    ),
    # An empty form is refused with 400 by those who may change the status.
    "measures:enrolment_status": Route(
        kind="enrolment",
        method="post",
        expect=codes(400, 400, 400, 400, 404, 404, 403, 404, 302),
        fuzz=Fuzz(),
    ),
    "measures:notes": Route(
        kind="enrolment",
        expect=codes(200, 200, 200, 200, 404, 404, 403, 404, 302),
        fuzz=Fuzz(),
        tour=(Visit("coordinator"),),
    ),
    "measures:journey": Route(
        kind="participant", expect=FOLLOWERS_OF_RECORD, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    # Export and import: the catalogue for the workspace, people for those who work in it.
    "measures:measures_export": Route(
        kind="slug", expect=WORKSPACE, not_page="a CSV or XLSX download"
    ),
    "measures:measures_import": Route(
        kind="slug", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "measures:measures_import_template": Route(
        kind="slug", expect=MANAGERS, not_page="a CSV or XLSX download"
    ),
    # A download of people writes its export entry: a POST.
    "measures:enrolments_export": Route(
        kind="measure",
        method="post",
        expect=codes(200, 200, 200, 200, 403, 403, 403, 404, 302),
        fuzz=Fuzz(),
    ),
    "measures:attendance_export": Route(
        kind="measure",
        method="post",
        expect=codes(200, 200, 200, 200, 403, 403, 403, 404, 302),
        fuzz=Fuzz(),
    ),
    "measures:measure_import": Route(
        kind="measure",
        expect=codes(200, 200, 200, 200, 403, 403, 403, 404, 302),
        fuzz=Fuzz(),
        tour=(Visit("coordinator"),),
    ),
    "measures:measure_import_template": Route(
        kind="measure",
        expect=codes(200, 200, 200, 200, 403, 403, 403, 404, 302),
        not_page="a CSV or XLSX download",
    ),
    "measures:my_journey": Route(kind="own_record", expect=SELF, tour=(Visit("participant"),)),
    # Referrals: those who follow the participant refer and withdraw; the staff of the receiving
    # measure's subproject (B, for the referral under test) answer, nobody of A.
    "measures:referrals": Route(
        kind="participant", expect=FOLLOWERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "measures:referral_withdraw": Route(
        kind="referral",
        method="post",
        expect=codes(302, 302, 302, 302, 403, 403, 403, 404, 302),
        fuzz=Fuzz(),
    ),
    "measures:referral_answer": Route(
        kind="referral",
        method="post",
        expect=codes(400, 400, 404, 404, 404, 404, 403, 404, 302),
        fuzz=Fuzz(),
    ),
    "measures:measure_referrals": Route(
        kind="measure",
        expect=codes(200, 200, 200, 200, 403, 403, 403, 404, 302),
        fuzz=Fuzz(),
        tour=(Visit("coordinator", kind="referred_measure"),),
    ),
    "mapping:occupation_search": Route(
        expect=SIGNED_IN, not_page="an htmx fragment of options inside the mapping form"
    ),
    "mapping:participant": Route(
        kind="participant", expect=FOLLOWERS_OF_RECORD, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "mapping:new": Route(
        kind="participant", expect=FOLLOWERS_OF_RECORD, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "mapping:mine": Route(kind="own_record", expect=SELF, tour=(Visit("participant"),)),
    "mapping:my_new": Route(
        kind="own_record", expect=SELF, fuzz=Fuzz(who="participant"), tour=(Visit("participant"),)
    ),
    "evaluation:my_questionnaires": Route(
        kind="own_record", expect=SELF, tour=(Visit("participant"),)
    ),
    "evaluation:questionnaires_due": Route(
        kind="slug", expect=FOLLOWERS, tour=(Visit("coordinator"),)
    ),
    # The questionnaire under test is the participant's, whom the contact and guide follow.
    "evaluation:response": Route(
        kind="submitted_response", expect=FOLLOWERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "evaluation:questionnaire_enter": Route(
        kind="own_questionnaire", expect=FOLLOWERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "evaluation:questionnaire_import": Route(
        kind="slug", expect=FOLLOWERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "evaluation:instruments": Route(kind="slug", expect=MANAGERS, tour=(Visit("coordinator"),)),
    "evaluation:instrument_new": Route(
        kind="slug", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "evaluation:questionnaire_import_template": Route(
        kind="instrument", expect=FOLLOWERS, not_page="an empty spreadsheet download (CSV or XLSX)"
    ),
    "evaluation:safety_alert_followed_up": Route(
        kind="safety_alert",
        method="post",
        expect=codes(302, 302, 302, 302, 403, 403, 403, 404, 302),
        fuzz=Fuzz(),
    ),
    "evaluation:my_questionnaire": Route(
        kind="own_questionnaire",
        expect=SELF,
        fuzz=Fuzz(who="participant"),
        tour=(Visit("participant"),),
    ),
    "evaluation:my_questionnaire_submit": Route(
        kind="own_questionnaire",
        expect=SELF,
        fuzz=Fuzz(who="participant"),
        tour=(Visit("participant"),),
    ),
    "mapping:resource_map": Route(kind="slug", expect=WORKSPACE, tour=(Visit("coordinator"),)),
    "mapping:team_candidates": Route(
        kind="slug",
        query="?interest=cooking&skill=cooking",
        expect=FOLLOWERS,
        tour=(Visit("coordinator"),),
    ),
    # Member imports: managers, and contact persons into their own subprojects.
    "mapping:import": Route(
        kind="slug",
        expect=codes(200, 200, 200, 403, 403, 403, 403, 404, 302),
        fuzz=Fuzz(),
        tour=(Visit("coordinator"),),
    ),
    "mapping:import_template": Route(
        kind="slug",
        expect=codes(200, 200, 200, 403, 403, 403, 403, 404, 302),
        not_page="a CSV or XLSX download",
    ),
    # An uploaded file is shown only to whoever uploaded it (here the contact person).
    "mapping:import_batch": Route(
        kind="import_batch",
        expect=codes(404, 404, 200, 403, 403, 403, 403, 404, 302),
        fuzz=Fuzz(),
        tour=(Visit("coordinator"),),
    ),
    # Ventures: the venture under test is subproject A's, with the guide's participant on its
    # team; user representatives see the pipeline's aggregates only.
    "ventures:list": Route(kind="slug", expect=VENTURE_READERS, tour=(Visit("coordinator"),)),
    "ventures:board": Route(kind="slug", expect=VENTURE_READERS, tour=(Visit("coordinator"),)),
    "ventures:pipeline": Route(kind="slug", expect=WORKSPACE, tour=(Visit("coordinator"),)),
    "ventures:new": Route(
        kind="slug", expect=VENTURE_MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "ventures:detail": Route(
        kind="venture", expect=VENTURE_READERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "ventures:edit": Route(
        kind="venture", expect=VENTURE_MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "ventures:move": Route(
        kind="venture", method="post", expect=VENTURE_MANAGERS_POST, fuzz=Fuzz()
    ),
    "ventures:member_add": Route(
        kind="venture", expect=VENTURE_MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "ventures:need_add": Route(
        kind="venture", expect=VENTURE_MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "ventures:outcome": Route(
        kind="venture", expect=VENTURE_MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "ventures:canvas": Route(
        kind="venture", expect=VENTURE_READERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "ventures:formation": Route(
        kind="slug", expect=VENTURE_MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    # The run under test was started by the contact person: theirs and the managers'.
    "ventures:formation_run": Route(
        kind="venture_run", expect=VENTURE_MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "ventures:proposal_decide": Route(
        kind="venture_proposal", method="post", expect=VENTURE_MANAGERS_POST, fuzz=Fuzz()
    ),
    "ventures:checklists": Route(
        kind="slug", expect=MANAGERS, tour=(Visit("coordinator", query="?country=SE"),)
    ),
    "ventures:checklists_seed": Route(
        kind="slug", method="post", expect=MANAGERS_POST, fuzz=Fuzz()
    ),
    "ventures:checklist_template_new": Route(
        kind="slug", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "ventures:checklist_template_edit": Route(
        kind="checklist_template", expect=MANAGERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "ventures:checklist_template_action": Route(
        kind="checklist_template",
        method="post",
        expect=codes(400, 400, 403, 403, 403, 403, 403, 404, 302),
        fuzz=Fuzz(),
    ),
    "ventures:checklist_tick": Route(
        kind="venture_checklist_item", method="post", expect=VENTURE_WORKERS_POST, fuzz=Fuzz()
    ),
    "ventures:task_new": Route(
        kind="venture", expect=VENTURE_WORKERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "ventures:task_edit": Route(
        kind="venture_task", expect=VENTURE_WORKERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    "ventures:task_done": Route(
        kind="venture_task", method="post", expect=VENTURE_WORKERS_POST, fuzz=Fuzz()
    ),
    "ventures:document_new": Route(
        kind="venture", expect=VENTURE_WORKERS, fuzz=Fuzz(), tour=(Visit("coordinator"),)
    ),
    # A download is a POST (it writes the read); an empty one downloads the document.
    "ventures:document_download": Route(
        kind="venture_document", method="post", expect=VENTURE_WORKERS, fuzz=Fuzz()
    ),
    "ventures:document_delete": Route(
        kind="venture_document",
        method="post",
        expect=codes(302, 302, 302, 403, 403, 403, 403, 404, 302),
        fuzz=Fuzz(),
    ),
    "ventures:my_proposals": Route(kind="own_record", expect=SELF, tour=(Visit("participant"),)),
    "ventures:my_proposal_decline": Route(
        kind="own_proposal", method="post", expect=SELF_POST, fuzz=Fuzz(who="participant")
    ),
}


class Scene:
    """Builds what fills a route's address, one method (``kind_…``) for each kind of object.

    The permission matrix uses this one as it is: the participant record under test is in
    subproject A, guided by the guide, with the participant's account; the activity involves
    subproject B only and is not open to participants; the action belongs to subproject A and is
    owned by the coordinator. The fuzzing and the tour override a few kinds (in their modules)
    where the one who acts there needs other objects.
    """

    def __init__(self, cast: Cast, client: Client | None = None) -> None:
        self.cast = cast
        self.client = client
        self.programme = cast.programme
        self.slug = cast.programme.slug

    def url(self, name: str, kind: str, query: str = "") -> str:
        builder = getattr(self, f"kind_{kind or 'bare'}", None)
        if builder is None:
            raise AssertionError(f"no way to build a URL of kind {kind!r}: add Scene.kind_{kind}")
        built = builder(name)
        if isinstance(built, str):
            return built + query
        return reverse(name, args=built) + query

    @cached_property
    def record(self) -> Participant:
        """The participant record under test: the participant's own, followed by the guide."""
        record = ParticipantFactory(
            programme=self.programme,
            account=self.cast.participant,
            subprojects=[self.cast.subproject],
        )
        record.guides.set([self.cast.guide])
        return record  # type: ignore[no-any-return]

    @property
    def venture_starter(self) -> Any:
        return self.cast.contact

    def kind_bare(self, name: str) -> list[object]:
        return []

    def kind_slug(self, name: str) -> list[object]:
        return [self.slug]

    def kind_partnership(self, name: str) -> list[object]:
        return [self.slug, self.programme.partnerships.get().pk]

    def kind_organisation(self, name: str) -> list[object]:
        return [self.slug, self.programme.partnerships.get().organisation_id]

    def kind_subproject(self, name: str) -> list[object]:
        return [self.slug, self.cast.subproject.pk]

    def kind_group_member(self, name: str) -> list[object]:
        member = ProjectGroupMemberFactory(programme=self.programme, user=self.cast.leader)
        return [self.slug, member.pk]

    def kind_goal(self, name: str) -> list[object]:
        return [self.slug, GoalFactory(programme=self.programme).pk]

    def kind_indicator(self, name: str) -> list[object]:
        goal = GoalFactory(programme=self.programme)
        return [self.slug, IndicatorFactory(goal=goal).pk]

    def kind_milestone(self, name: str) -> list[object]:
        return [self.slug, MilestoneFactory(programme=self.programme).pk]

    def kind_membership(self, name: str) -> list[object]:
        return [self.slug, self.cast.user_rep.memberships.get().pk]

    def kind_activity(self, name: str) -> list[object]:
        activity = ActivityFactory(
            programme=self.programme, subprojects=[self.cast.other_subproject]
        )
        return [self.slug, activity.public_id]

    def kind_open_activity(self, name: str) -> list[object]:
        """Open to participants, and everyone in the programme is registered."""
        activity = ActivityFactory(programme=self.programme, open_to_participants=True)
        for role in ROLES[:7]:
            RegistrationFactory(activity=activity, user=self.cast.user(role))
        return [self.slug, activity.public_id]

    def kind_action(self, name: str) -> list[object]:
        action = ActionFactory(
            programme=self.programme, owner=self.cast.coordinator, subproject=self.cast.subproject
        )
        return [self.slug, action.pk]

    def kind_own_record(self, name: str) -> list[object]:
        assert self.record
        return [self.slug]

    def kind_participant(self, name: str) -> list[object]:
        return [self.slug, self.record.public_id]

    def kind_own_questionnaire(self, name: str) -> list[object]:
        return [self.slug, who5_response(self.record).public_id]

    def kind_submitted_response(self, name: str) -> list[object]:
        """A WHO-5 the guide entered from paper: sent in and scored."""
        from samvirke.evaluation.response_services import enter_response

        response = who5_response(self.record)
        answers = {f"who5_{number}": 3 for number in range(1, 6)}
        enter_response(
            actor=Actor.of_user(self.cast.guide), response=response, answers=answers, mode="paper"
        )
        return [self.slug, response.public_id]

    def kind_instrument(self, name: str) -> list[object]:
        from samvirke.evaluation.instrument_services import load_instruments

        load_instruments(texts_folder=None)
        return [self.slug, "who5"]

    def kind_safety_alert(self, name: str) -> list[object]:
        return [self.slug, safety_alert(self.record).public_id]

    def kind_erasure_request(self, name: str) -> list[object]:
        from samvirke.participants.data_rights import request_erasure

        request_erasure(actor=Actor.of_user(self.cast.participant), participant=self.record)
        return [self.slug, self.record.public_id]

    def kind_consent(self, name: str) -> list[object]:
        consent = give_consent(
            actor=Actor.of_user(self.cast.coordinator),
            participant=self.record,
            purpose="research",
            method="paper",
        )
        if name.startswith("participants:my_"):
            return [self.slug, consent.pk]
        return [self.slug, self.record.public_id, consent.pk]

    @property
    def import_uploader(self) -> Any:
        return self.cast.contact

    def kind_import_batch(self, name: str) -> list[object]:
        from samvirke.mapping.models import ImportBatch

        batch = ImportBatch.objects.create(
            programme=self.programme,
            subproject=self.cast.subproject,
            uploaded_by=self.import_uploader,
            country="SE",
            filename="members.csv",
            content=b"member id,name\n1,Test\n",
        )
        return [self.slug, batch.public_id]

    def kind_calendar(self, name: str) -> list[object]:
        from samvirke.activities.services import calendar_token_for

        token = calendar_token_for(user=self.cast.coordinator, programme=self.programme)
        return [self.slug, token]

    def _service_map(self, name: str, kind: str) -> list[object]:
        published = name.startswith("measures:public_")
        return [self.slug, *service_map_args(kind, self.programme, published=published)]

    def kind_service_map(self, name: str) -> list[object]:
        return self._service_map(name, "service_map")

    def kind_service(self, name: str) -> list[object]:
        return self._service_map(name, "service")

    def kind_pathway(self, name: str) -> list[object]:
        return self._service_map(name, "pathway")

    def kind_pathway_step(self, name: str) -> list[object]:
        return self._service_map(name, "pathway_step")

    def kind_situation(self, name: str) -> list[object]:
        return self._service_map(name, "situation")

    def _measure(self, kind: str) -> list[object]:
        extra = measure_args(
            kind,
            self.programme,
            self.cast.subproject,
            participant=self.record,
            guide=self.cast.guide,
        )
        return [self.slug, *extra]

    def kind_measure(self, name: str) -> list[object]:
        return self._measure("measure")

    def kind_session(self, name: str) -> list[object]:
        return self._measure("session")

    def kind_enrolment(self, name: str) -> list[object]:
        return self._measure("enrolment")

    def kind_referral(self, name: str) -> list[object]:
        measure = MeasureFactory(programme=self.programme, subproject=self.cast.other_subproject)
        referral = ReferralFactory(measure=measure, participant=self.record)
        return [self.slug, referral.public_id]

    def kind_referred_measure(self, name: str) -> list[object]:
        """A measure of another subproject, with the participant's referral waiting for it."""
        measure = MeasureFactory(programme=self.programme, subproject=self.cast.other_subproject)
        ReferralFactory(measure=measure, participant=self.record)
        return [self.slug, measure.pk]

    def kind_checklist_template(self, name: str) -> list[object]:
        from samvirke.ventures.checklists import seed_templates
        from samvirke.ventures.models import ChecklistTemplateItem

        seed_templates(programme=self.programme)
        item = ChecklistTemplateItem.objects.filter(programme=self.programme).first()
        return [self.slug, item.pk]  # type: ignore[union-attr]

    def _venture(self, kind: str) -> list[object]:
        extra = venture_args(
            kind,
            self.programme,
            self.cast.subproject,
            participant=self.record,
            started_by=self.venture_starter,
        )
        return [self.slug, *extra]

    def kind_venture(self, name: str) -> list[object]:
        return self._venture("venture")

    def kind_venture_run(self, name: str) -> list[object]:
        return self._venture("run")

    def kind_venture_proposal(self, name: str) -> list[object]:
        return self._venture("proposal")

    def kind_own_proposal(self, name: str) -> list[object]:
        return self._venture("proposal")

    def kind_venture_checklist_item(self, name: str) -> list[object]:
        return self._venture("checklist_item")

    def kind_venture_task(self, name: str) -> list[object]:
        return self._venture("task")

    def kind_venture_document(self, name: str) -> list[object]:
        return self._venture("document")

    def kind_research_export(self, name: str) -> list[object]:
        """A finished research file the researcher asked for, waiting for its download."""
        from tests.evaluation.export_data import finished_export

        return [self.slug, finished_export(self.programme, self.cast.researcher).public_id]

    def kind_coordinators_research_export(self, name: str) -> list[object]:
        from tests.evaluation.export_data import finished_export

        return [self.slug, finished_export(self.programme, self.cast.coordinator).public_id]

    def kind_analysis_run(self, name: str) -> list[object]:
        from tests.evaluation.analysis_data import finished_analysis

        return [self.slug, finished_analysis(self.programme)]

    def kind_analysis_chart(self, name: str) -> list[object]:
        from tests.evaluation.analysis_data import finished_analysis

        return [self.slug, finished_analysis(self.programme), "who5", "flow"]

    def kind_analysis_results(self, name: str) -> list[object]:
        """The evaluation page with a finished analysis: charts and tables."""
        from tests.evaluation.analysis_data import finished_analysis

        finished_analysis(self.programme)
        return [self.slug]

    def kind_sign_in_link(self, name: str) -> list[object]:
        """A forged link (the matrix: nobody gets in)."""
        return ["not-a-token"]

    def kind_password_link(self, name: str) -> list[object]:
        """An invalid link: the page says so."""
        return ["MQ", "not-a-token"]
