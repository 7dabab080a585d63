"""The demo district: Bắc Yên's units, staff accounts per role, the catalogue, and a few
hundred dossiers in every lifecycle state over the last 24 months.

Every step is idempotent: units and accounts are created or updated by code and username;
dossiers are generated once (a second run finds them and leaves them alone). The random
choices are seeded, so two fresh installs hold the same district.
"""

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from .calendar import WorkingCalendar, due_for_procedure
from .models import Applicant, Channel, Dossier, Procedure, StaffProfile, Unit, UnitLevel
from .roles import ADMIN_SITE_ROLES, Role
from .services.catalogue import DATA_DIR, load_reference_data, read_json
from .workflow import State

DEMO_PASSWORD = "BacYen@2026"  # noqa: S105  (documented in the README; demo accounts only)
AGENCY_KINDS_WITH_STAFF = (
    "phong_tu_phap", "phong_tnmt", "phong_kinh_te_ha_tang", "phong_tckh", "phong_ldtbxh",
    "phong_noi_vu", "phong_vhtt", "cn_vpdkdd", "chi_cuc_thue", "cong_an_huyen", "bhxh_huyen",
)  # fmt: skip


def load_units() -> dict[str, Unit]:
    data = read_json(DATA_DIR / "units.json")
    for level in data["levels"]:
        UnitLevel.objects.update_or_create(code=level["code"], defaults=level)
    levels = {level.code: level for level in UnitLevel.objects.all()}
    units: dict[str, Unit] = {}
    for row in data["units"]:
        unit = Unit.objects.filter(code=row["code"]).first() or Unit(code=row["code"])
        unit.name = row["name"]
        unit.short_name = row.get("short_name", "")
        unit.level = levels[row["level"]]
        unit.parent = units.get(row["parent"]) if row["parent"] else None
        unit.kind = row.get("kind", "")
        unit.is_remote = row.get("is_remote", False)
        unit.has_counter = row.get("has_counter", False)
        unit.address = row.get("address", "")
        unit.active_from = (
            date.fromisoformat(row["active_from"]) if row.get("active_from") else None
        )
        unit.full_clean()
        unit.save()
        unit.slug = row.get("slug", "")
        units[unit.code] = unit
    return units


def _staff_plan(units: dict[str, Unit]):
    """(username, role, unit, full name, title) for every demo account."""
    by_kind = {}
    for unit in units.values():
        by_kind.setdefault(unit.kind, []).append(unit)
    office, counter = by_kind["district_office"][0], by_kind["one_stop_district"][0]
    plan = [
        ("quantri", Role.ADMIN, office, "Quản trị hệ thống", "Quản trị viên"),
        ("vanphong", Role.DISTRICT_OFFICE, office, "Lường Thị Hoa", "Chuyên viên Văn phòng"),
        (
            "lanhdao.huyen",
            Role.LEADER,
            by_kind["district"][0],
            "Hà Văn Thắng",
            "Phó Chủ tịch UBND huyện",
        ),
        ("motcua.huyen1", Role.CLERK, counter, "Cầm Thị Lan", "Công chức Một cửa"),
        ("motcua.huyen2", Role.CLERK, counter, "Lò Văn Tuấn", "Công chức Một cửa"),
        ("luutru", Role.ARCHIVIST, by_kind["phong_noi_vu"][0], "Đinh Thị Mai", "Cán bộ lưu trữ"),
    ]
    for kind in AGENCY_KINDS_WITH_STAFF:
        for unit in by_kind.get(kind, []):
            plan.append(
                (
                    f"chuyenvien.{unit.slug}",
                    Role.SPECIALIST,
                    unit,
                    f"Chuyên viên {unit.short_name}",
                    "Chuyên viên",
                )
            )
            plan.append(
                (
                    f"lanhdao.{unit.slug}",
                    Role.LEADER,
                    unit,
                    f"Lãnh đạo {unit.short_name}",
                    "Trưởng phòng",
                )
            )
    for unit in by_kind.get("commune", []):
        plan.append(
            (
                f"motcua.{unit.slug}",
                Role.CLERK,
                unit,
                f"Một cửa {unit.short_name}",
                "Công chức Một cửa",
            )
        )
        plan.append(
            (
                f"chuyenvien.{unit.slug}",
                Role.SPECIALIST,
                unit,
                f"Công chức {unit.short_name}",
                "Công chức chuyên môn",
            )
        )
        plan.append(
            (
                f"lanhdao.{unit.slug}",
                Role.LEADER,
                unit,
                f"Lãnh đạo {unit.short_name}",
                "Chủ tịch UBND",
            )
        )
    return plan


def load_staff(units: dict[str, Unit]) -> list[tuple[str, str, str]]:
    """Create or update the demo accounts; every one has the documented password."""
    user_model = get_user_model()
    hashed = make_password(DEMO_PASSWORD)  # hashed once: the same password for every account
    groups = {g.name: g for g in Group.objects.all()}
    accounts = []
    for username, role, unit, full_name, title in _staff_plan(units):
        last, _, first = full_name.rpartition(" ")
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "password": hashed}
        )
        user.is_staff = role in ADMIN_SITE_ROLES
        user.is_superuser = role == Role.ADMIN
        user.save()
        user.groups.set([groups[role.value]])
        StaffProfile.objects.update_or_create(user=user, defaults={"unit": unit, "title": title})
        accounts.append((username, role.label, unit.name))
    return accounts


FAMILY = [
    "Lò",
    "Cầm",
    "Hà",
    "Vì",
    "Mùa",
    "Sồng",
    "Giàng",
    "Thào",
    "Nguyễn",
    "Đinh",
    "Lường",
    "Quàng",
    "Tòng",
    "Hoàng",
]
MIDDLE = ["Văn", "Thị", "A", "Thị", "Văn", "Đức", "Minh"]
VILLAGES = ["Phiêng Ban", "Mường Khoa", "Tà Xùa", "Nhọt", "Mòng", "Pắc Ngà"]
GIVEN = [
    "Sinh",
    "Chứ",
    "Mua",
    "Páo",
    "Dế",
    "Hương",
    "Xuân",
    "Thương",
    "Ngọc",
    "Tùng",
    "Phong",
    "Khánh",
    "Yến",
    "Diệu",
    "Sùng",
    "Lả",
]


def _applicants(rng: random.Random, count: int) -> list[Applicant]:
    people = []
    for i in range(count):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        # CCCD: 3-digit province of birth (014 = Sơn La), century-sex digit, 2-digit year, 6 digits.
        id_number = f"014{rng.choice('0123')}{rng.randint(50, 99):02d}{i:06d}"
        people.append(
            Applicant(
                id_number=id_number,
                name=name,
                phone=f"09{rng.randint(10000000, 99999999)}",
                address=f"Bản {rng.choice(VILLAGES)}, huyện Bắc Yên",
            )
        )
    Applicant.objects.bulk_create(people, ignore_conflicts=True)
    return list(Applicant.objects.filter(id_number__in=[p.id_number for p in people]))


def _working_moment(rng, cal: WorkingCalendar, day: date, zone) -> datetime:
    while not cal.is_working_day(day):
        day -= timedelta(days=1)
    start, end = rng.choice(cal.periods)
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    offset = rng.randrange(minutes)
    return datetime.combine(day, start, tzinfo=zone) + timedelta(minutes=offset)


OLD_STATES = [
    (State.RETURNED, 50), (State.ARCHIVED, 32), (State.REFUSED, 4), (State.WITHDRAWN, 5),
    (State.DECLINED, 4), (State.RESULT_READY, 2), (State.IN_PROGRESS, 3),
]  # fmt: skip
RECENT_STATES = [
    (State.SUBMITTED, 8), (State.RECEIVED, 14), (State.IN_PROGRESS, 26),
    (State.SUPPLEMENT_REQUESTED, 9), (State.RESULT_READY, 10), (State.RETURNED, 25),
    (State.REFUSED, 3), (State.WITHDRAWN, 3), (State.DECLINED, 2),
]  # fmt: skip


def _pick(rng, weighted):
    states, weights = zip(*weighted, strict=True)
    return rng.choices(states, weights=weights)[0]


def load_dossiers(units: dict[str, Unit], *, count=420, seed=141, now=None) -> int:
    """Generate ``count`` dossiers once; returns how many were created by this call."""
    if Dossier.objects.exists():
        return 0
    rng = random.Random(seed)
    zone = ZoneInfo(settings.TIME_ZONE)
    now = now or timezone.now()
    cal = WorkingCalendar.load()
    procedures = list(Procedure.objects.select_related("level").prefetch_related("handling_units"))
    counters = [u for u in units.values() if u.has_counter]
    # The district counter takes the district-level procedures of the whole district.
    counter_weights = [8 if u.kind == "one_stop_district" else 1 for u in counters]
    applicants = _applicants(rng, 260)
    sequences: dict[tuple[str, date], int] = {}
    rows = []
    for _ in range(count):
        counter = rng.choices(counters, weights=counter_weights)[0]
        level = "district" if counter.kind == "one_stop_district" else "commune"
        choices = [p for p in procedures if p.level.code == level] or procedures
        procedure = rng.choice(choices)
        age_days = int(rng.triangular(0, 730, 60))
        if counter.active_from:  # a commune of the two-level map receives only since 1/7/2025
            age_days = min(age_days, (now.date() - counter.active_from).days)
        received = _working_moment(
            rng, cal, (now - timedelta(days=age_days)).astimezone(zone).date(), zone
        )
        if received > now:
            received = _working_moment(
                rng, cal, now.astimezone(zone).date() - timedelta(days=1), zone
            )
        state = _pick(rng, OLD_STATES if age_days > 45 else RECENT_STATES)
        channel = (
            Channel.ONLINE
            if state == State.SUBMITTED
            else rng.choices([Channel.DIRECT, Channel.ONLINE, Channel.POST], weights=[58, 36, 6])[0]
        )
        day = received.astimezone(zone).date()
        sequences[(counter.code, day)] = sequences.get((counter.code, day), 0) + 1
        handlers = [
            u
            for u in procedure.handling_units.all()
            if u.kind not in ("commune", "one_stop_district")
        ]
        dossier = Dossier(
            code=f"{counter.code}-{day:%y%m%d}-{sequences[(counter.code, day)]:04d}",
            procedure=procedure,
            applicant=rng.choice(applicants),
            receiving_unit=counter,
            current_unit=counter,
            state=state,
            channel=channel,
            submitted_at=received - timedelta(hours=rng.randint(1, 40))
            if channel == Channel.ONLINE
            else None,
        )
        if state != State.SUBMITTED:
            dossier.received_at = received
            dossier.due_at = due_for_procedure(procedure, received, calendar=cal)
        if state == State.SUBMITTED:
            dossier.submitted_at = received
        if state == State.IN_PROGRESS and handlers:
            dossier.current_unit = rng.choice(handlers)
        if state in (State.RESULT_READY, State.RETURNED, State.ARCHIVED, State.DECLINED):
            span = dossier.due_at - received
            finished = received + span * rng.uniform(0.35, 1.25)
            dossier.finished_at = min(finished, now - timedelta(minutes=5))
            if state in (State.RETURNED, State.ARCHIVED):
                dossier.returned_at = min(
                    dossier.finished_at + timedelta(hours=rng.randint(1, 72)), now
                )
        rows.append(dossier)
    with transaction.atomic():
        Dossier.objects.bulk_create(rows)
    return len(rows)


def load_demo(*, now=None) -> dict:
    """Units, reference data, staff and dossiers; safe to run again."""
    with transaction.atomic():
        units = load_units()
        reference = load_reference_data()
        accounts = load_staff(units)
    created = load_dossiers(units, now=now)
    return {"units": len(units), "accounts": accounts, "dossiers_created": created, **reference}
