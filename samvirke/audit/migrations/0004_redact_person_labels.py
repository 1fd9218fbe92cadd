"""Redact the names and addresses earlier versions wrote into the audit log.

This is the only change the append-only log ever permits, made once and documented here:

* ``object_label`` of rows about an account, a membership, a registration, a project-group
  member, an imported member, an identity or a second-factor device held ``str()`` of the
  row, i.e. a person's full name or address; it becomes the kind and id (``user 12``), which is
  what ``audit.services.audit_label`` writes for such rows from now on.
* A refused password kept the address typed; the row now points at the account that has the
  address (so the programmes still see the attempt) and keeps no address.
* Rows by a participant's account carry the pseudonym as ``actor_label``, and neither they
  nor anonymous rows about the account (a refused password) keep an IP address; rows by an
  erased account say ``erased``.
* A membership's ``detail`` named the member by address; it names the account id instead.

On PostgreSQL the append-only trigger (migration 0002) is disabled for the statements of this
migration only, inside its transaction: if anything fails, the trigger is back as it was.
"""

import hashlib
import hmac

from django.conf import settings
from django.db import migrations

PERSON_TYPES = (
    "accounts.user",
    "accounts.membership",
    "activities.registration",
    "programmes.projectgroupmember",
    "mapping.importedmember",
    "participants.participantidentity",
    "otp_totp.totpdevice",
    "otp_static.staticdevice",
    "admin.logentry",
)


def hidden_address(email: str) -> str:
    # As participants/0005 stores a participant's address on their account.
    digest = hmac.new(
        settings.IDENTITY_HASH_KEYS[0].encode("utf-8"),
        ("sign-in:" + email.strip().lower()).encode("utf-8"),
        hashlib.sha256,
    ).hexdigest()
    return f"{digest[:48]}@sign-in.invalid"


def redact(apps, schema_editor):  # type: ignore[no-untyped-def]
    AuditEntry = apps.get_model("audit", "AuditEntry")
    User = apps.get_model("accounts", "User")
    Participant = apps.get_model("participants", "Participant")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(
            "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only", params=None
        )

    rows = AuditEntry.objects.filter(object_type__in=PERSON_TYPES).exclude(object_id="")
    for entry in rows.iterator():
        model_name = entry.object_type.split(".", 1)[1]
        changes = {"object_label": f"{model_name} {entry.object_id}"}
        if entry.object_type == "accounts.membership" and isinstance(entry.detail, dict):
            address = str(entry.detail.get("user", ""))
            if address:
                account = User.objects.filter(email__in=[address, hidden_address(address)])
                found = account.values_list("pk", flat=True).first()
                changes["detail"] = {**entry.detail, "user": f"user {found or '?'}"}
        AuditEntry.objects.filter(pk=entry.pk).update(**changes)

    refused = AuditEntry.objects.filter(action="login_failed", actor__isnull=True, object_id="")
    for entry in refused.exclude(object_label="").iterator():
        address = entry.object_label.strip().lower()
        found = (
            User.objects.filter(email__in=[address, hidden_address(address)])
            .values_list("pk", flat=True)
            .first()
        )
        AuditEntry.objects.filter(pk=entry.pk).update(
            object_id=str(found) if found else "",
            object_label=f"user {found}" if found else "",
        )

    for participant in Participant.objects.filter(account__isnull=False).iterator():
        AuditEntry.objects.filter(actor_id=participant.account_id).update(
            actor_label=participant.pseudonym, ip_address=None
        )
        AuditEntry.objects.filter(
            actor__isnull=True, object_type="accounts.user", object_id=str(participant.account_id)
        ).update(ip_address=None)
    erased = User.objects.filter(email__endswith="@erased.invalid").values("pk")
    AuditEntry.objects.filter(actor_id__in=erased).update(actor_label="erased", ip_address=None)

    if postgres:
        schema_editor.execute(
            "ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only", params=None
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_truncate_by_owner_only"),
        ("accounts", "0002_memberships"),
        ("participants", "0005_account_identity_apart"),
    ]
    operations = [migrations.RunPython(redact, migrations.RunPython.noop)]
