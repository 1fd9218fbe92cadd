"""Participants' sign-in accounts stop keeping their name, e-mail address and phone in clear.

Each account linked to a participant keeps the pseudonym as its name and a keyed hash of its
address (``accounts.services.hidden_address``, repeated here as it was when written) for finding
the account when the person asks for a sign-in link; the address itself is kept only in the
encrypted identity, where the link is sent from. An address that only the account held is moved
into the identity first. Not reversible: the clear copies are what this removes.
"""

import hashlib
import hmac

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import migrations

DOMAIN = "sign-in.invalid"


def hidden_address(email: str) -> str:
    digest = hmac.new(
        settings.IDENTITY_HASH_KEYS[0].encode("utf-8"),
        ("sign-in:" + email.strip().lower()).encode("utf-8"),
        hashlib.sha256,
    ).hexdigest()
    return f"{digest[:48]}@{DOMAIN}"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Participant = apps.get_model("participants", "Participant")
    Identity = apps.get_model("participants", "ParticipantIdentity")
    box = MultiFernet([Fernet(key.encode("ascii")) for key in settings.IDENTITY_KEYS])
    linked = Participant.objects.filter(account__isnull=False).select_related("account")
    for participant in linked:
        account = participant.account
        if account.email.endswith("@" + DOMAIN) or account.email.endswith("@erased.invalid"):
            continue
        identity = Identity.objects.filter(participant=participant).first()
        if identity is None:
            identity = Identity(participant=participant, full_name="")
        stored = box.decrypt(identity.email.encode()).decode() if identity.email else ""
        if not stored:
            identity.email = box.encrypt(account.email.lower().encode()).decode()
            identity.save()
        account.email = hidden_address(account.email)
        account.full_name = participant.pseudonym
        account.phone = ""
        account.save(update_fields=["email", "full_name", "phone"])


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0004_participant_register_index"),
        ("accounts", "0002_memberships"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
