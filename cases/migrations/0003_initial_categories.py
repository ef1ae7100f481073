"""Seed the problem categories every district starts with; administrators extend the list."""

from django.db import migrations

from cases.categories import INITIAL_CATEGORIES


def add_categories(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    for position, (code, name, name_en) in enumerate(INITIAL_CATEGORIES):
        Category.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]

    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
