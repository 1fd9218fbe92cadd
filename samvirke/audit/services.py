"""Writing the audit log. Services call these; signals never do."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from django.conf import settings
from django.db import models

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction, AuditEntry
from samvirke.lib.client_ip import Network, client_address, networks
from samvirke.participants.models import Participant

if TYPE_CHECKING:
    from django.http import HttpRequest

    from samvirke.accounts.models import User
    from samvirke.programmes.models import Programme


def _user_model() -> type[models.Model]:
    from django.contrib.auth import get_user_model

    return get_user_model()


def client_ip(request: HttpRequest | None) -> str | None:
    """The one answer to "where did this request come from", for the audit log and for the
    sign-in throttle alike (``AXES_CLIENT_IP_CALLABLE``): forwarding headers count only from a
    proxy listed in ``SAMVIRKE_TRUSTED_PROXIES``."""
    if request is None:
        return None
    return client_address(
        peer=str(request.META.get("REMOTE_ADDR") or ""),
        forwarded_for=str(request.META.get("HTTP_X_FORWARDED_FOR") or ""),
        proxies=trusted_proxies(),
    )


@cache
def _parsed_proxies(entries: tuple[str, ...]) -> list[Network]:
    return networks(entries)


def trusted_proxies() -> list[Network]:
    return _parsed_proxies(tuple(settings.TRUSTED_PROXIES))


def _relates_to_a_person(model: type[models.Model]) -> bool:
    """Whether rows of this model are, or point at, a person (an account or a participant)."""
    from django.contrib.auth import get_user_model

    people = (get_user_model(), Participant)
    return issubclass(model, people) or any(
        field.is_relation
        and (field.many_to_one or field.one_to_one)
        and field.related_model in people
        for field in model._meta.fields
    )


def audit_label(obj: models.Model) -> str:
    """What the audit log calls an object: never a person's name or address.

    A model may say what it is called in the log with an ``audit_label`` attribute (titles,
    pseudonyms). Without one, a row that is or points at a person is logged by its kind and id
    only, because ``str()`` of an account, a registration or a membership is a person's name,
    and the append-only log would keep it after erasure.
    """
    own = getattr(obj, "audit_label", None)
    if own is not None:
        return str(own)[:300]
    if _relates_to_a_person(obj.__class__):
        return f"{obj._meta.model_name} {obj.pk}"
    return str(obj)[:300]


def is_participant_account(user: User | None) -> bool:

    return user is not None and Participant.objects.filter(account=user).exists()


def _actor_label(actor: User | None) -> str:
    """Staff by e-mail; a participant by pseudonym, so the append-only log keeps no address
    of theirs that erasure could not remove."""
    if actor is None:
        return ""

    pseudonym = (
        Participant.objects.filter(account=actor).values_list("pseudonym", flat=True).first()
    )
    return str(pseudonym) if pseudonym else actor.email


def record_event(
    *,
    action: AuditAction | str,
    actor: Actor,
    obj: models.Model | None = None,
    programme: Programme | None = None,
    role: str = "",
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one row to the audit log: who acted, in which role and from where, is the
    Actor's (``role`` overrides its role)."""
    role, address, user = role or actor.role, actor.ip, actor.user
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "public_id", None) or obj.pk)
        object_label = object_label or audit_label(obj)
    actor_obj = user if (user is not None and user.is_authenticated) else None
    # A participant's own address (their IP) is not kept in the append-only log, where erasure
    # could not reach it; staff actions keep theirs for accountability.
    about_participant_account = is_participant_account(actor_obj) or (
        actor_obj is None
        and isinstance(obj, _user_model())
        and is_participant_account(cast("User", obj))
    )
    return AuditEntry.objects.create(
        action=str(action),
        actor=actor_obj,
        actor_label=_actor_label(actor_obj)[:254],
        role=role[:32],
        object_type=object_type[:64],
        object_id=object_id[:64],
        object_label=object_label[:300],
        programme=programme,
        ip_address=None if about_participant_account else address,
        detail=detail or {},
    )


M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Change(Generic[M]):
    """A model object with its new values set but not yet saved, the names of the fields that
    changed, and the new members of its many-to-many fields: what a service is given to save,
    from a form, an import or an API alike."""

    obj: M
    fields: Sequence[str] = ()
    related: Mapping[str, Iterable[models.Model]] = field(default_factory=dict)

    @property
    def creating(self) -> bool:
        return bool(self.obj._state.adding)


def record_change(
    *,
    actor: Actor,
    change: Change[M],
    programme: Programme | None,
    detail: dict[str, Any] | None = None,
) -> M:
    """Save the object and its many-to-many members and write one audit entry: a create or
    an update with the changed fields (or ``detail``). The one copy of "save, then log"."""
    creating = change.creating
    obj = change.obj
    obj.save()
    for name, members in change.related.items():
        getattr(obj, name).set(members)
    record_event(
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        actor=actor,
        obj=obj,
        programme=programme,
        detail={"fields": sorted(change.fields)} if detail is None else detail,
    )
    return obj


def record_events(
    *,
    action: AuditAction | str,
    actor: Actor,
    objects: Sequence[models.Model],
    programme: Programme | None = None,
    role: str = "",
    detail: dict[str, Any] | None = None,
) -> list[AuditEntry]:
    """Append one row per object to the audit log, all in one insert: what ``record_event``
    writes for each, at a cost that does not grow with the number of objects (the names read
    on an attendance sheet of thirty)."""
    if not objects:
        return []
    role, ip, user = role or actor.role, actor.ip, actor.user
    actor_obj = user if (user is not None and user.is_authenticated) else None
    actor_label = _actor_label(actor_obj)[:254]
    # As record_event: no IP address when the actor, or the account acted on, is a participant.
    user_model = _user_model()
    if actor_obj is not None:
        keeps_no_ip = [is_participant_account(actor_obj)] * len(objects)
    else:
        accounts = [obj.pk for obj in objects if isinstance(obj, user_model)]
        participant_accounts = (
            set(
                Participant.objects.filter(account__in=accounts).values_list(
                    "account_id", flat=True
                )
            )
            if accounts
            else set()
        )
        keeps_no_ip = [
            isinstance(obj, user_model) and obj.pk in participant_accounts for obj in objects
        ]
    return AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                action=str(action),
                actor=actor_obj,
                actor_label=actor_label,
                role=role[:32],
                object_type=obj._meta.label_lower[:64],
                object_id=str(getattr(obj, "public_id", None) or obj.pk)[:64],
                object_label=audit_label(obj)[:300],
                programme=programme,
                ip_address=None if no_ip else ip,
                detail=detail or {},
            )
            for obj, no_ip in zip(objects, keeps_no_ip, strict=True)
        ]
    )
