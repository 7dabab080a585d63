"""The district office edits the targets and reads sent reports in the admin. Added after
dossiers' ``ensure_roles`` (which sets the group's catalogue permissions) on every migrate."""

from django.contrib.auth.models import Group, Permission

from dossiers.roles import Role

PERMISSIONS = {
    Role.DISTRICT_OFFICE: ["add_target", "change_target", "view_target", "view_snapshot"],
    Role.ADMIN: [
        "add_target",
        "change_target",
        "delete_target",
        "view_target",
        "view_snapshot",
        "view_reportjob",
    ],
}


def grant_report_permissions(**kwargs):

    for role, codenames in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        perms = Permission.objects.filter(
            content_type__app_label="reporting", codename__in=codenames
        )
        group.permissions.add(*perms)
