from django.db import migrations

ROLE_NAMES = ["Admin", "Manager", "Staff"]


def create_role_groups(apps, schema_editor):
    # Permissions do not exist yet while migrations run on a fresh database; they are
    # assigned by accounts.roles.roles_sync(), run after every migrate and by setup_roles.
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
