"""The demo, loaded into an empty database: what a visitor finds, read from its data files and
built through the services."""

from __future__ import annotations

import os

import pytest
from django.apps import apps
from django.core.management import call_command

from samvirke.audit.models import AuditAction, AuditEntry
from samvirke.demo.fixtures import fixture
from samvirke.demo.programmes import load_demo
from samvirke.participants.services import _decrypted_identity
from samvirke.programmes.models import Partnership, Programme

pytestmark = pytest.mark.django_db

# What `samvirke demo` held when its data still lived in the domain apps' demo.py modules
# (counted on a fresh SQLite database before the move): the move changed none of it.
BEFORE_THE_MOVE = {
    "accounts.Membership": 20,
    "accounts.User": 17,
    "activities.Action": 81,
    "activities.Activity": 120,
    "activities.Decision": 53,
    "activities.Registration": 502,
    "evaluation.AnalysisRun": 1,
    "evaluation.ItemAnswer": 32206,
    "evaluation.QuestionnaireResponse": 4308,
    "evaluation.Schedule": 1,
    "evaluation.Score": 4305,
    "evaluation.TimePoint": 4,
    "mapping.Education": 27,
    "mapping.LifeSituation": 2,
    "mapping.Mapping": 27,
    "mapping.MappingItem": 106,
    "mapping.WorkExperience": 27,
    "measures.Attendance": 61,
    "measures.Enrolment": 553,
    "measures.EnrolmentNote": 1,
    "measures.EnrolmentStatusChange": 17,
    "measures.Measure": 6,
    "measures.MeasureSession": 258,
    "measures.Pathway": 6,
    "measures.PathwayStep": 20,
    "measures.Service": 16,
    "measures.ServiceMapSettings": 1,
    "participants.Consent": 657,
    "participants.Participant": 633,
    "participants.ParticipantIdentity": 33,
    "programmes.Goal": 7,
    "programmes.Indicator": 4,
    "programmes.Milestone": 4,
    "programmes.Organisation": 16,
    "programmes.Partnership": 22,
    "programmes.Programme": 2,
    "programmes.ProjectGroupMember": 6,
    "programmes.Subproject": 7,
    "ventures.Canvas": 1,
    "ventures.ChecklistItem": 23,
    "ventures.Document": 1,
    "ventures.FormationRun": 1,
    "ventures.Need": 11,
    "ventures.Proposal": 4,
    "ventures.StageChange": 7,
    "ventures.Task": 5,
    "ventures.TeamMember": 3,
    "ventures.Venture": 3,
}


def test_the_demo_holds_as_many_of_everything_as_before_its_data_moved() -> None:
    # when
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    # then
    counts = {label: apps.get_model(label).objects.count() for label in BEFORE_THE_MOVE}
    assert counts == BEFORE_THE_MOVE


def test_the_demo_programmes_have_the_partners_and_subprojects_their_data_file_names() -> None:
    # when
    load_demo()
    # then
    organisations = fixture("people")["organisations"]
    for spec in fixture("programmes")["programmes"]:
        programme = Programme.objects.get(slug=spec["slug"])
        partners = set(
            Partnership.objects.filter(programme=programme).values_list(
                "organisation__name", "role"
            )
        )
        named = {(organisations[p["organisation"]]["name"], p["role"]) for p in spec["partners"]}
        assert partners == named
        subprojects = set(programme.subprojects.values_list("name", flat=True))
        assert subprojects == {s["name"] for s in spec["subprojects"]}


def test_the_demo_participants_carry_the_made_up_names_of_its_data_file() -> None:
    # when
    load_demo()
    # then
    programme = Programme.objects.get(slug="entreprenorskap-2011")
    names = {
        _decrypted_identity(p).full_name
        for p in programme.participants.filter(identity__isnull=False)
    }
    assert {p["name"] for p in fixture("people")["participants"]} <= names
    assert all(name.endswith("(demo)") for name in names)


def test_the_audit_log_shows_the_demo_partnerships_roles_and_activities_made_by_the_services() -> (
    None
):
    # when
    load_demo()
    # then
    created = AuditEntry.objects.filter(action=AuditAction.CREATE)
    assert created.filter(object_type="programmes.partnership").count() == 22
    assert created.filter(object_type="accounts.membership").count() == 20
    assert created.filter(object_type="activities.activity").count() == 120
