from django.db import migrations


def load_skills(apps, schema_editor):
    from samvirke.mapping.skills import sync_skills

    sync_skills(apps.get_model("mapping", "Skill"))


def remove_skills(apps, schema_editor):
    apps.get_model("mapping", "Skill").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("mapping", "0002_mapping_versions")]

    operations = [migrations.RunPython(load_skills, remove_skills)]
