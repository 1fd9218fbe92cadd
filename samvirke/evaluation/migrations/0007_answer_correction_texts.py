from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0006_research_export_jobs"),
    ]

    operations = [
        migrations.AddField(
            model_name="answercorrection",
            name="old_text",
            field=models.TextField(blank=True, verbose_name="old text"),
        ),
        migrations.AddField(
            model_name="answercorrection",
            name="new_text",
            field=models.TextField(blank=True, verbose_name="new text"),
        ),
    ]
