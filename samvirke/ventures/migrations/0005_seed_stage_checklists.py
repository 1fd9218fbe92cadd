"""Give every programme the default stage checklists, and every venture the items of the stage
it is in now (ventures that entered a stage before checklists existed get them here)."""

from django.db import migrations

STAGES = ("idea", "clarification", "team", "business_plan", "establishment", "operation", "ended")


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    from samvirke.ventures.checklist_defaults import DEFAULTS

    Programme = apps.get_model("programmes", "Programme")
    Venture = apps.get_model("ventures", "Venture")
    TemplateItem = apps.get_model("ventures", "ChecklistTemplateItem")
    Item = apps.get_model("ventures", "ChecklistItem")
    for programme in Programme.objects.all():
        if TemplateItem.objects.filter(programme=programme).exists():
            continue
        TemplateItem.objects.bulk_create(
            [
                TemplateItem(
                    programme=programme,
                    country=country,
                    stage=stage,
                    position=10 * (index + 1),
                    text_en=en,
                    text_nb=nb,
                    text_sv=sv,
                )
                for country, stages in DEFAULTS.items()
                for stage in STAGES
                for index, (en, nb, sv) in enumerate(stages.get(stage, ()))
            ]
        )
    for venture in Venture.objects.all():
        items = TemplateItem.objects.filter(
            programme_id=venture.programme_id,
            country=venture.country,
            stage=venture.stage,
            retired_at__isnull=True,
        ).exclude(venture_items__venture=venture)
        Item.objects.bulk_create([Item(venture=venture, template_item=item) for item in items])


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("ventures", "ChecklistItem").objects.all().delete()
    apps.get_model("ventures", "ChecklistTemplateItem").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ventures", "0004_checklists_tasks_documents"),
        ("programmes", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
