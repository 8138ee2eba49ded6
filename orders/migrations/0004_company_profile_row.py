"""The company profile exists from the start, so admins edit it rather than add it."""

from django.db import migrations


def create(apps, schema_editor):
    apps.get_model("orders", "CompanyProfile").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("orders", "0003_company_profile")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
