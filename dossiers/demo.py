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

from . import notifications, services
from .calendar import WorkingCalendar
from .models import Applicant, Channel, Dossier, Procedure, Rating, StaffProfile, Unit, UnitLevel
from .roles import ADMIN_SITE_ROLES, Role
from .services import ReceivedComponent
from .services.catalogue import DATA_DIR, load_reference_data, read_json
from .services.engine import forms_deferred
from .services.handling import default_handler, step_unit
from .services.rating import rate_dossier
from .services.todays_map import load_todays_map
from .signals import demo_loaded
from .text import fold
from .workflow import ACTIONS, State, place_unit_id

DEMO_PASSWORD = "BacYen@2026"  # noqa: S105  (documented in the README; demo accounts only)
AGENCY_KINDS_WITH_STAFF = (
    "phong_tu_phap",
    "phong_tnmt",
    "phong_kinh_te_ha_tang",
    "phong_tckh",
    "phong_ldtbxh",
    "phong_noi_vu",
    "phong_vhtt",
    "cn_vpdkdd",
    "chi_cuc_thue",
    "cong_an_huyen",
    "bhxh_huyen",
)


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
        unit.valid_from = date.fromisoformat(row["valid_from"]) if row.get("valid_from") else None
        unit.full_clean()
        unit.save()
        unit.slug = row.get("slug", "")
        units[unit.code] = unit
    # Today's map beside it: the province's agencies and its 75 communes and wards (those
    # with a slug get demo staff and dossiers).
    units.update(load_todays_map())
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
        if not unit.slug:
            continue
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
                search_name=fold(name),  # bulk_create skips save(), which fills it
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
    (State.RETURNED, 50),
    (State.ARCHIVED, 32),
    (State.REFUSED, 4),
    (State.WITHDRAWN, 5),
    (State.DECLINED, 4),
    (State.RESULT_READY, 2),
    (State.IN_PROGRESS, 3),
]
RECENT_STATES = [
    (State.SUBMITTED, 8),
    (State.RECEIVED, 12),
    (State.IN_PROGRESS, 22),
    (State.SUPPLEMENT_REQUESTED, 9),
    (State.PENDING_APPROVAL, 6),
    (State.RESULT_READY, 10),
    (State.RETURNED, 25),
    (State.REFUSED, 3),
    (State.WITHDRAWN, 3),
    (State.DECLINED, 2),
]
# The actions that take a received dossier to each state, in order.
PATHS = {
    State.RECEIVED: [],
    State.IN_PROGRESS: ["assign"],
    State.SUPPLEMENT_REQUESTED: ["assign", "request_supplement"],
    State.PENDING_APPROVAL: ["assign", "propose_result"],
    State.RESULT_READY: ["assign", "propose_result", "approve"],
    State.RETURNED: ["assign", "propose_result", "approve", "return_result"],
    State.ARCHIVED: ["assign", "propose_result", "approve", "return_result"],
    State.REFUSED: ["refuse"],
    State.WITHDRAWN: ["withdraw"],
    State.DECLINED: ["assign", "decline"],
}
REASONS = {
    "refuse": "Hồ sơ không thuộc thẩm quyền giải quyết của đơn vị.",
    "withdraw": "Công dân có đơn xin rút hồ sơ.",
    "decline": "Không đủ điều kiện giải quyết theo quy định.",
    "request_supplement": "Đề nghị bổ sung bản sao giấy tờ chứng minh nơi cư trú.",
}


def _pick(rng, weighted):
    states, weights = zip(*weighted, strict=True)
    return rng.choices(states, weights=weights)[0]


class _Staff:
    """The demo's accounts by unit and role, to act as the right person at each step."""

    def __init__(self):
        self.by_unit_role = {}
        for profile in StaffProfile.objects.select_related("user", "unit"):
            for role in profile.user.groups.values_list("name", flat=True):
                self.by_unit_role.setdefault((profile.unit_id, role), profile.user)

    def get(self, unit, *roles):
        unit_id = getattr(unit, "pk", unit)
        for role in roles:
            user = self.by_unit_role.get((unit_id, role))
            if user is not None:
                return user
        return None


def _components(procedure):
    return [ReceivedComponent(c.pk, c.copies) for c in procedure.components.all()]


def _actor_for(code, dossier, people):
    unit = place_unit_id(ACTIONS[code].place, dossier)
    roles = [r.value for r in ACTIONS[code].roles]
    return people.get(unit, *roles)


def _plan(path, dossier, rng):
    """The actions with their inputs: after "assign", a transfer to each later step's unit of
    an inter-agency procedure (most electronic, some on paper); a late one gets an apology."""
    plan = []
    for code in path:
        plan.append((code, {}))
        if code == "assign":
            here, first = default_handler(dossier)
            later = [
                s
                for s in dossier.procedure.steps.order_by("order")
                if first and s.order > first.order
            ]
            for step in later:
                unit = step_unit(step, dossier)
                if unit is not None and unit != here and unit != dossier.receiving_unit:
                    plan.append(("transfer", {"to_unit": unit, "electronic": rng.random() < 0.85}))
                    here = unit
    return plan


def _replay(dossier, path, start, finish, people, rng):
    """Take ``path``'s actions on ``dossier`` between ``start`` and ``finish``, in order, as
    the account of the right role in the right unit, at those historical moments."""
    plan = _plan(path, dossier, rng)
    cal = WorkingCalendar.load()
    # Within working hours (start_of_work keeps the order), never after the finish.
    moments = sorted(
        min(cal.start_of_work(start + (finish - start) * rng.uniform(0.05, 1)), finish)
        for _ in plan
    )
    if plan and plan[-1][0] in ("approve", "return_result"):
        moments[-1] = finish
    for (code, inputs), moment in zip(plan, moments, strict=True):
        dossier.refresh_from_db()
        if code == "approve" and dossier.due_at and moment > dossier.due_at and rng.random() < 0.4:
            apology = people.get(dossier.current_unit, "leader")
            services.take_action(
                "extend",
                dossier.pk,
                actor=apology,
                reason="Cần thêm thời gian xác minh.",
                new_appointment=moment + timedelta(days=2),
                at=moment - timedelta(minutes=30),
            )
        actor = _actor_for(code, dossier, people)
        if actor is None:
            raise RuntimeError(
                f"No demo account to {code} {dossier.code} at {dossier.current_unit}"
            )
        services.take_action(
            code, dossier.pk, actor=actor, reason=REASONS.get(code, ""), at=moment, **inputs
        )


COMMENTS = {
    4: ["Cán bộ hướng dẫn tận tình.", "Trả kết quả sớm hơn hẹn.", ""],
    3: ["", "Thủ tục nhanh gọn."],
    2: ["Phải đi lại hai lần vì thiếu giấy tờ.", ""],
    1: ["Chờ đợi lâu, quá hẹn mà không được báo trước."],
}


def _rate(dossier, rng, moment):
    """The applicant's rating, as given on the public site, a day after the return."""
    score = rng.choices([4, 3, 2, 1], weights=[55, 38, 5, 2])[0]
    dossier.refresh_from_db()
    rating = rate_dossier(dossier, score=score, comment=rng.choice(COMMENTS[score]))
    Rating.objects.filter(pk=rating.pk).update(at=moment)


def load_dossiers(units: dict[str, Unit], *, count=420, seed=141, now=None) -> int:
    """Generate ``count`` dossiers once, through the services; returns how many were created."""
    if Dossier.objects.exists():
        return 0
    rng = random.Random(seed)
    zone = ZoneInfo(settings.TIME_ZONE)
    now = now or timezone.now()
    cal = WorkingCalendar.load()
    people = _Staff()
    procedures = list(Procedure.objects.select_related("level").prefetch_related("components"))
    counters = [
        u for u in units.values() if u.has_counter and u.slug and u.kind != "one_stop_province"
    ]
    # The district counter takes the district-level procedures of the whole district.
    counter_weights = [8 if u.kind == "one_stop_district" else 1 for u in counters]
    applicants = [
        {
            "kind": "person",
            "id_number": a.id_number,
            "name": a.name,
            "phone": a.phone,
            "address": a.address,
        }
        for a in _applicants(rng, 260)
    ]
    created = 0
    # All or nothing: a half-loaded demo would be skipped by the next run.
    with transaction.atomic(), forms_deferred(), notifications.suppressed():
        for _ in range(count):
            counter = rng.choices(counters, weights=counter_weights)[0]
            level = "district" if counter.kind == "one_stop_district" else "commune"
            procedure = rng.choice([p for p in procedures if p.level.code == level] or procedures)
            # A fifth of the dossiers are recent (still being handled), the rest spread back.
            age_days = rng.randint(0, 30) if rng.random() < 0.2 else rng.randint(31, 730)
            if counter.valid_from:  # a commune of the two-level map receives since 1/7/2025
                age_days = min(age_days, (now.date() - counter.valid_from).days)
            day = (now - timedelta(days=age_days)).astimezone(zone).date()
            start = _working_moment(rng, cal, day, zone)
            if start > now - timedelta(hours=1):
                start = _working_moment(rng, cal, day - timedelta(days=1), zone)
            state = _pick(rng, OLD_STATES if age_days > 45 else RECENT_STATES)
            if state in (State.SUBMITTED, State.REFUSED) and procedure.online_level == "none":
                state = State.RECEIVED if state == State.SUBMITTED else State.WITHDRAWN
            clerk = people.get(counter, "clerk")
            applicant = rng.choice(applicants)
            if state in (State.SUBMITTED, State.REFUSED):
                dossier = services.submit_online(
                    procedure=procedure,
                    unit=counter,
                    applicant=applicant,
                    components=_components(procedure),
                    at=start,
                )
            else:
                channel = rng.choices([Channel.DIRECT, Channel.ONLINE, Channel.POST], [58, 36, 6])[
                    0
                ]
                dossier = services.receive_dossier(
                    actor=clerk,
                    procedure=procedure,
                    applicant=applicant,
                    components=_components(procedure),
                    channel=channel,
                    at=start,
                )
            span = (dossier.due_at - start) if dossier.due_at else timedelta(days=2)
            finish = cal.start_of_work(start + span * rng.uniform(0.35, 1.25))
            finish = min(
                finish + timedelta(minutes=rng.randint(0, 180)), now - timedelta(minutes=30)
            )
            _replay(dossier, PATHS.get(state, []), start, finish, people, rng)
            if state in (State.RETURNED, State.ARCHIVED) and rng.random() < 0.7:
                _rate(dossier, rng, min(finish + timedelta(days=1), now))
            if state == State.ARCHIVED:
                services.mark_archived(dossier.pk, at=min(finish + timedelta(days=3), now))
            created += 1
    return created


def load_demo(*, now=None) -> dict:
    """Units, reference data, staff and dossiers; safe to run again."""
    with transaction.atomic():
        units = load_units()
        reference = load_reference_data()
        accounts = load_staff(units)
    created = load_dossiers(units, now=now)

    demo_loaded.send(sender=load_demo, units=units)
    return {"units": len(units), "accounts": accounts, "dossiers_created": created, **reference}
