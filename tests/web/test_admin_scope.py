"""The admin is scoped by the same rules as the pages: derived from every registered ModelAdmin,
so that a model added to the admin later is covered without anyone remembering."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin import ModelAdmin
from django.db.models import ForeignKey, ManyToManyField, Model
from django.test import Client, RequestFactory

from samvirke.accounts.models import Membership, Role, User
from samvirke.audit.actor import Actor
from samvirke.audit.services import record_event
from samvirke.programmes.models import Programme
from samvirke.web.admin import SHARED_MODELS, ScopedChoicesAdmin, site
from tests.conftest import Cast, sign_in
from tests.factories import ActionFactory, ActivityFactory, UserFactory

pytestmark = pytest.mark.django_db

ADMINS: list[tuple[type[Model], ModelAdmin[Any]]] = list(site._registry.items())


@pytest.fixture
def rows(cast: Cast) -> Cast:
    """The cast, and in each of its programmes a row of every kind the admin lists."""
    for programme in (cast.programme, cast.other_programme):
        activity = ActivityFactory(programme=programme)
        ActionFactory(programme=programme, activity=activity, owner=cast.coordinator)
        record_event(
            action="update",
            actor=Actor.of_user(cast.coordinator),
            programme=programme,
            obj=activity,
        )
    return cast


def superuser(user: User) -> User:
    user.is_superuser = user.is_staff = True
    user.save(update_fields=["is_superuser", "is_staff"])
    return user


def request_by(user: User) -> Any:
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def relations(model: type[Model]) -> list[ForeignKey[Any, Any] | ManyToManyField[Any, Any]]:
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, ForeignKey | ManyToManyField) and field.editable
    ]


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=[m._meta.label for m, _ in ADMINS])
def test_every_admin_lists_nothing_to_a_superuser_who_manages_no_programme(
    rows: Cast, model: type[Model], model_admin: ModelAdmin[Any]
) -> None:
    # given: a superuser without a membership, and the cast's data in the database
    nobody = superuser(UserFactory(email="root@example.test"))
    # when
    listed = model_admin.get_queryset(request_by(nobody))
    # then
    assert isinstance(model_admin, ScopedChoicesAdmin)
    if model not in SHARED_MODELS:
        assert model._default_manager.exists(), "the cast should hold such rows"
        assert not listed.exists()


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=[m._meta.label for m, _ in ADMINS])
def test_every_select_in_an_admin_form_offers_only_what_the_user_manages(
    rows: Cast, model: type[Model], model_admin: ModelAdmin[Any]
) -> None:
    # given: the leader of one programme is a superuser
    cast = rows
    leader = superuser(cast.leader)
    request = request_by(leader)
    for field in relations(model):
        # when
        if isinstance(field, ManyToManyField):
            form_field = model_admin.formfield_for_manytomany(field, request)
        else:
            form_field = model_admin.formfield_for_foreignkey(field, request)
        if form_field is None:
            continue
        offered = form_field.queryset
        # then: nothing of the other programme, ever
        related = field.related_model
        if related is Programme:
            assert list(offered) == [cast.programme], field
        elif related is User:
            assert cast.outsider not in offered and cast.participant not in offered, field
        elif related not in SHARED_MODELS and any(
            f.name == "programme" for f in related._meta.get_fields()
        ):
            assert not offered.filter(programme=cast.other_programme).exists(), field


def test_a_superuser_cannot_move_their_own_membership_into_another_programme(cast: Cast) -> None:
    # given
    coordinator = superuser(cast.coordinator)
    own = Membership.objects.get(user=coordinator, programme=cast.programme)
    client = sign_in(Client(), coordinator)
    # when
    response = client.post(
        f"/admin/accounts/membership/{own.pk}/change/",
        {"user": coordinator.pk, "programme": cast.other_programme.pk, "role": Role.COORDINATOR},
    )
    # then
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.programme == cast.programme


def test_a_membership_cannot_be_moved_into_a_programme_one_does_not_manage(cast: Cast) -> None:
    # given
    leader = superuser(cast.leader)
    guide = Membership.objects.get(user=cast.guide, programme=cast.programme)
    client = sign_in(Client(), leader)
    # when
    response = client.post(
        f"/admin/accounts/membership/{guide.pk}/change/",
        {"user": cast.guide.pk, "programme": cast.other_programme.pk, "role": Role.GUIDE},
    )
    # then
    assert response.status_code == 200  # the form again, with an error
    assert "programme" in response.context["adminform"].form.errors
    guide.refresh_from_db()
    assert guide.programme == cast.programme


def test_the_user_admin_lists_staff_of_ones_programmes_but_no_participant(cast: Cast) -> None:
    # given
    leader = superuser(cast.leader)
    # when
    listed = set(site._registry[User].get_queryset(request_by(leader)))
    # then
    assert cast.guide in listed
    assert cast.participant not in listed
    assert cast.outsider not in listed
