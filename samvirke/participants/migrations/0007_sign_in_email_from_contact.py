"""Accounts that already sign in keep the address they sign in with.

Until now the one encrypted address in the identity was both the contact address and where
sign-in links went. From here on links go only to ``sign_in_email``, which is set when the
participant confirms an address; an account already in use keeps its current address (the
Fernet token is copied as it is, no key is needed). Reversing leaves the copy unused.
"""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Identity = apps.get_model("participants", "ParticipantIdentity")
    linked = Identity.objects.filter(
        participant__account__isnull=False,
        participant__account__email__endswith="@sign-in.invalid",
        sign_in_email="",
    ).exclude(email="")
    for identity in linked:
        identity.sign_in_email = identity.email
        identity.save(update_fields=["sign_in_email"])


class Migration(migrations.Migration):
    dependencies = [("participants", "0006_sign_in_address_confirmation")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
