"""Every model that holds data about a participant is exported and erased, or says why not.

The walk starts at Participant and follows every foreign key, one-to-one and many-to-many that
points at it (and at whatever points at those: Mapping → WorkExperience …), and takes every model
that points at the participant's sign-in account. A new model on any of those paths fails here
until it is added to ``personal_data.HOLDINGS`` (and so to the export and the erasure) or to
``personal_data.EXCLUDED`` with a reason.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from samvirke.accounts.models import User
from samvirke.participants.data_rights import export_participant_data
from samvirke.participants.models import Participant
from samvirke.participants.personal_data import EXCLUDED, HOLDINGS, Erasure
from tests.conftest import Cast
from tests.factories import ParticipantFactory

ModelType = type[models.Model]


def _points_at(model: ModelType, targets: set[ModelType]) -> bool:
    return any(
        field.is_relation and field.concrete and field.related_model in targets
        for field in model._meta.get_fields()
    )


def _closure(start: set[ModelType]) -> set[ModelType]:
    """``start`` and every model with a relation pointing into the set, until nothing changes."""
    found = set(start)
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model not in found and _points_at(model, found):
                found.add(model)
                changed = True
    return found


def models_holding_participant_data() -> set[str]:
    through_participant = _closure({Participant})
    through_account = {m for m in apps.get_models() if _points_at(m, {User})}
    return {m._meta.label_lower for m in through_participant | through_account | {User}}


def _text_fields(model: ModelType) -> set[str]:
    return {
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.choices
    }


def test_every_model_reaching_a_participant_is_covered_or_excluded_with_a_reason() -> None:
    # given
    covered = {holding.model for holding in HOLDINGS}
    # when
    missing = models_holding_participant_data() - covered - set(EXCLUDED)
    # then
    assert not missing, f"Add these to participants/personal_data.py: {sorted(missing)}"


def test_the_registry_names_only_models_that_exist_and_none_twice() -> None:
    labels = [holding.model for holding in HOLDINGS] + list(EXCLUDED)
    assert len(labels) == len(set(labels))
    for label in labels:
        assert apps.get_model(label) is not None


def test_every_text_field_of_a_kept_model_is_either_blanked_or_declared_a_code() -> None:
    # given
    undecided: dict[str, set[str]] = {}
    for holding in HOLDINGS:
        if holding.erasure is Erasure.DELETED:
            continue  # the rows go: nothing to decide field by field
        model = apps.get_model(holding.model)
        # when
        rest = _text_fields(model) - set(holding.free_text) - set(holding.coded_text)
        if rest:
            undecided[holding.model] = rest
    # then
    assert not undecided, f"Decide in personal_data.py whether erasure blanks: {undecided}"


def test_declared_fields_exist_on_their_models() -> None:
    for holding in HOLDINGS:
        names = {field.name for field in apps.get_model(holding.model)._meta.concrete_fields}
        assert set(holding.free_text) | set(holding.coded_text) <= names, holding.model


@pytest.mark.django_db
def test_the_export_has_a_section_for_every_holding(cast: Cast) -> None:
    # given
    participant = ParticipantFactory(programme=cast.programme, account=cast.participant)
    # when
    data = export_participant_data(participant)
    # then
    assert {holding.export for holding in HOLDINGS} <= data.keys()
    assert "access_log" in data  # the audit trail, which is kept, is exported
