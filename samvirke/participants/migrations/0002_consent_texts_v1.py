"""Version 1 of the consent texts (data only)."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from samvirke.participants.consent_texts import TEXTS_V1

    ConsentText = apps.get_model("participants", "ConsentText")
    for purpose, (nb, sv, en, ynb, ysv, yen) in TEXTS_V1.items():
        ConsentText.objects.get_or_create(
            purpose=purpose,
            for_youth=False,
            version=1,
            defaults={"text_nb": nb, "text_sv": sv, "text_en": en},
        )
        ConsentText.objects.get_or_create(
            purpose=purpose,
            for_youth=True,
            version=1,
            defaults={"text_nb": ynb, "text_sv": ysv, "text_en": yen},
        )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("participants", "ConsentText").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("participants", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
