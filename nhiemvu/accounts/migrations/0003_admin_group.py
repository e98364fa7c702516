"""The administrators' group (issue 27): the permissions the Administrator role needs in the
admin site, and everyone who holds the role put in it and made staff. The list is
orgs.models.ADMIN_PERMISSIONS (one home); new memberships follow it through
orgs.services.admin_access_sync."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.management import create_permissions
from django.db import migrations

from nhiemvu.orgs.models import ADMIN_GROUP, admin_group


def forwards(apps: Any, schema_editor: Any) -> None:
    # Django creates permissions after all migrations (post_migrate): on a fresh database none
    # exists yet, so create them here first.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Membership = apps.get_model("orgs", "Membership")
    User = apps.get_model("accounts", "User")
    group = admin_group(Group, Permission)
    holders = Membership.objects.filter(role="admin").values_list("user_id", flat=True)
    for user in User.objects.filter(pk__in=holders):
        user.groups.add(group)
    User.objects.filter(pk__in=holders).update(is_staff=True)


def backwards(apps: Any, schema_editor: Any) -> None:
    apps.get_model("auth", "Group").objects.filter(name=ADMIN_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_keys"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("orgs", "0004_organisation_codes"),
        ("assignments", "0014_explanation_returned_on_only"),
        ("reminders", "0005_inside_notifications"),
        ("webhooks", "0001_initial"),
        ("audit", "0001_initial"),
        ("directives", "0003_signatures"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
