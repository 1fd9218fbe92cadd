"""The one documented change the append-only log permits: the migration that takes out the names
and addresses earlier versions wrote (audit/0003, after participants/0005 hid the accounts')."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from samvirke.accounts.models import User
from samvirke.audit.models import AuditEntry
from samvirke.participants.services import cipher, own_identity
from samvirke.participants.sign_in import confirmed_address, sign_in_is_confirmed
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

BEFORE = [
    ("audit", "0003_truncate_by_owner_only"),
    ("participants", "0004_participant_register_index"),
]
# participants/0007 on top: the rows below are written by today's models, and 0007 keeps an
# account already in use at the address it signs in with.
AFTER = [
    ("audit", "0004_redact_person_labels"),
    ("participants", "0007_sign_in_email_from_contact"),
]
NAME, EMAIL = "Gunnhild Oldrow", "gunnhild.oldrow@example.test"


def migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def migrate_to_the_newest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def old_rows(transactional_db: None) -> Iterator[tuple[User, list[AuditEntry]]]:
    """Rows as the earlier code wrote them, and an account that kept the name in clear. Every
    app is migrated to its newest state afterwards, whatever the test did (a skipped test left
    the schema of BEFORE, and later tests met tables without today's columns)."""
    migrate(BEFORE)
    programme = ProgrammeFactory()
    account = UserFactory(email=EMAIL, full_name=NAME, phone="+47 900 00 001")
    # The tables as they were then (later migrations add columns today's models would ask for),
    # linked without the service, as before: the account still holds the clear copies.
    then = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    person = then.get_model("participants", "Participant").objects.create(
        programme_id=programme.pk, pseudonym="NO-2345-X", country="NO", account_id=account.pk
    )
    then.get_model("participants", "ParticipantIdentity").objects.create(
        participant_id=person.pk, full_name=cipher().encrypt(NAME)
    )
    membership = MembershipFactory(user=account, programme=programme)
    rows = [
        AuditEntry.objects.create(
            action="update",
            object_type="accounts.user",
            object_id=str(account.pk),
            object_label=NAME,
        ),
        AuditEntry.objects.create(
            action="create",
            object_type="accounts.membership",
            object_id=str(membership.pk),
            object_label=f"{NAME} — participant",
            detail={"role": "participant", "user": EMAIL},
        ),
        AuditEntry.objects.create(
            action="login_failed",
            object_type="accounts.user",
            object_label=EMAIL,
            ip_address="203.0.113.9",
        ),
        AuditEntry.objects.create(
            action="logout",
            actor=account,
            actor_label=EMAIL,
            object_type="accounts.user",
            object_id=str(account.pk),
            object_label=NAME,
            ip_address="203.0.113.9",
        ),
    ]
    yield account, rows
    migrate_to_the_newest()


def test_the_migration_leaves_no_name_or_address_in_the_log(
    old_rows: tuple[User, list[AuditEntry]],
) -> None:
    # when
    migrate(AFTER)
    # then
    account, rows = old_rows
    for row in AuditEntry.objects.filter(pk__in=[r.pk for r in rows]):
        kept = f"{row.actor_label} {row.object_label} {row.detail} {row.ip_address}"
        assert NAME not in kept and EMAIL not in kept and "203.0.113.9" not in kept


def test_a_refused_password_still_points_at_the_account_after_the_migration(
    old_rows: tuple[User, list[AuditEntry]],
) -> None:
    # when
    migrate(AFTER)
    # then
    account, _rows = old_rows
    refused = AuditEntry.objects.get(action="login_failed")
    assert refused.object_id == str(account.pk)


def test_the_migration_moves_the_accounts_identity_into_the_encrypted_store(
    old_rows: tuple[User, list[AuditEntry]],
) -> None:
    # when
    migrate(AFTER)
    # then
    account, _rows = old_rows
    account.refresh_from_db()
    person = account.participant_record
    assert (account.full_name, account.phone) == (person.pseudonym, "")
    assert EMAIL not in account.email
    assert own_identity(person).email == EMAIL


def test_an_account_already_in_use_keeps_signing_in_at_its_address(
    old_rows: tuple[User, list[AuditEntry]],
) -> None:
    # when
    migrate(AFTER)
    # then
    account, _rows = old_rows
    account.refresh_from_db()
    person = account.participant_record
    assert confirmed_address(person) == EMAIL
    assert sign_in_is_confirmed(person)


def test_after_the_migration_postgresql_refuses_updates_of_the_log_again(
    old_rows: tuple[User, list[AuditEntry]],
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("The append-only trigger exists on PostgreSQL only")
    # given
    migrate(AFTER)
    # when / then
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET object_label = 'x'")
