"""Staff roles as Django groups (design.md, Security model), with their Vietnamese names and
the model permissions each needs in the admin."""

from django.contrib.auth.models import Group, Permission
from django.db import models


class Role(models.TextChoices):
    CLERK = "clerk", "Cán bộ tiếp nhận và trả kết quả"
    SPECIALIST = "specialist", "Chuyên viên xử lý"
    LEADER = "leader", "Lãnh đạo phê duyệt"
    ARCHIVIST = "archivist", "Cán bộ lưu trữ"
    DISTRICT_OFFICE = "district_office", "Văn phòng HĐND-UBND (báo cáo, danh mục)"
    ADMIN = "admin", "Quản trị hệ thống"


CATALOGUE_MODELS = (
    "unit",
    "unitlevel",
    "field",
    "documenttype",
    "procedure",
    "procedurecomponent",
    "procedurestep",
    "calendaroverride",
)

# (app_label, codename) permissions per role; the district office edits the catalogue and
# the calendar in the admin, the admin role also manages accounts.
ROLE_PERMISSIONS = {
    Role.DISTRICT_OFFICE: [
        ("dossiers", f"{verb}_{model}")
        for model in CATALOGUE_MODELS
        for verb in ("add", "change", "delete", "view")
    ]
    + [("dossiers", "view_auditevent"), ("dossiers", "view_notification")]
    # Revisions are written by the catalogue import only (services.catalogue_rules).
    + [("dossiers", "view_procedurerevision")],
    Role.ADMIN: [
        ("dossiers", f"{verb}_{model}")
        for model in (*CATALOGUE_MODELS, "staffprofile")
        for verb in ("add", "change", "delete", "view")
    ]
    + [("auth", f"{verb}_user") for verb in ("add", "change", "view")]
    + [("dossiers", "view_auditevent"), ("dossiers", "view_notification")]
    + [("auth", "view_group"), ("dossiers", "view_procedurerevision")],
}

# Roles whose members use the admin site.
ADMIN_SITE_ROLES = frozenset({Role.DISTRICT_OFFICE, Role.ADMIN})


def ensure_roles(**kwargs):
    """Create the role groups and give them their permissions (run after every migrate)."""
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = ROLE_PERMISSIONS.get(role, [])
        if wanted:
            perms = Permission.objects.filter(
                content_type__app_label__in={app for app, _ in wanted},
                codename__in={code for _, code in wanted},
            )
            group.permissions.set(perms)
