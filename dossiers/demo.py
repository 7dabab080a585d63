"""The demo district: Bắc Yên's units, staff accounts per role, the catalogue, and a few
hundred dossiers in every lifecycle state over the last 24 months.

Every step is idempotent: units and accounts are created or updated by code and username;
dossiers are generated once (a second run finds them and leaves them alone). The random
choices are seeded, so two fresh installs hold the same district.
"""

import heapq
import itertools
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from . import notifications, services
from .addresses import todays_commune
from .calendar import WorkingCalendar
from .models import Applicant, Channel, Dossier, Procedure, Rating, StaffProfile, Unit, UnitLevel
from .queries import units_in_force
from .roles import ADMIN_SITE_ROLES, Role
from .services import ReceivedComponent
from .services.catalogue import (
    DATA_DIR,
    end_procedures_not_in_force,
    load_reference_data,
    read_json,
    todays_codes,
)
from .services.engine import forms_deferred
from .services.handling import default_handler, step_unit
from .services.rating import rate_dossier
from .services.todays_map import apply_todays_map, load_todays_map, reorganisations
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
    for unit in by_kind.get("one_stop_province", []):
        plan.append(("motcua.tinh", Role.CLERK, unit, "Quàng Thị Nga", "Công chức TTPVHCC tỉnh"))
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
        # The unit only when the account is new: a reorganisation has since moved the
        # district's accounts to the successors, and a second run must not move them back.
        StaffProfile.objects.get_or_create(user=user, defaults={"unit": unit, "title": title})
        accounts.append(username)
    return accounts_table(accounts)


def accounts_table(usernames) -> list[tuple[str, str, str]]:
    """(username, role, unit as of today) for the accounts the run command prints."""
    profiles = {
        p.user.username: p
        for p in StaffProfile.objects.select_related("user", "unit").prefetch_related(
            "user__groups"
        )
    }
    labels = {r.value: r.label for r in Role}
    return [
        (
            name,
            ", ".join(labels[g.name] for g in profiles[name].user.groups.all()),
            profiles[name].unit.counter_label,
        )
        for name in usernames
    ]


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
VILLAGES = ["Pá Chạn", "Hua Cà", "Nhọt", "Mòng", "Suối Rút", "Phổng"]
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


def _addresses() -> list[tuple[str, str, str]]:
    """Each former commune of huyện Bắc Yên as written on the old map, its commune today
    (map_2025.json's merge; citizens write either), and that commune's code."""
    old = {
        u["code"]: u["name"].removeprefix("UBND ")
        for u in read_json(DATA_DIR / "units.json")["units"]
        if u.get("kind") == "commune"
    }
    new = {u.code: u.name.removeprefix("UBND ") for u in Unit.objects.filter(kind="commune")}
    return [
        (f"{old[code]}, huyện Bắc Yên, tỉnh Sơn La", f"{new[successor]}, tỉnh Sơn La", successor)
        for plan in reorganisations()
        for code, successor in plan["mapping"].items()
        if code in old and successor in new
    ]


def _applicants(rng: random.Random, count: int) -> list[Applicant]:
    people = []
    places = _addresses()
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
                address=f"Bản {rng.choice(VILLAGES)}, {rng.choice(rng.choice(places)[:2])}",
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


def _schedule(dossier, path, start, finish, rng) -> list:
    """``path``'s actions for ``dossier`` as (moment, code, inputs) between ``start`` and
    ``finish``, in order, within working hours (start_of_work keeps the order)."""
    plan = _plan(path, dossier, rng)
    cal = WorkingCalendar.load()
    moments = sorted(
        min(cal.start_of_work(start + (finish - start) * rng.uniform(0.05, 1)), finish)
        for _ in plan
    )
    if plan and plan[-1][0] in ("approve", "return_result"):
        moments[-1] = finish
    return [(moment, code, inputs) for moment, (code, inputs) in zip(moments, plan, strict=True)]


def _act(dossier_id, code, inputs, moment, people, rng):
    """Take one scheduled action as the account of the right role in the right unit, at its
    historical moment. A transfer planned to a unit that has since ended is dropped (the
    successor handles the dossier where it is)."""
    dossier = Dossier.objects.get(pk=dossier_id)
    if code == "transfer" and not inputs["to_unit"].in_force(timezone.localdate(moment)):
        return
    if code == "approve" and dossier.due_at and moment > dossier.due_at and rng.random() < 0.4:
        services.take_action(
            "extend",
            dossier.pk,
            actor=people.get(dossier.current_unit_id, "leader"),
            reason="Cần thêm thời gian xác minh.",
            new_appointment=moment + timedelta(days=2),
            at=moment - timedelta(minutes=30),
        )
    actor = _actor_for(code, dossier, people)
    if actor is None:
        raise RuntimeError(f"No demo account to {code} {dossier.code} at {dossier.current_unit}")
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


MERGE_DAY = date(2025, 7, 1)  # map_2025.json: the two-level map in force


def _counters(units, *, today_map: bool):
    """The staffed counters of one map, with their weights: the district's counter takes the
    district-level procedures of the whole district; the province's centre a few."""
    counters, weights = [], []
    for unit in units.values():
        if not (unit.has_counter and unit.slug) or (unit.valid_from is not None) != today_map:
            continue
        counters.append(unit)
        weights.append({"one_stop_district": 8, "one_stop_province": 2}.get(unit.kind, 1))
    return counters, weights


def _offered(procedures, counter, todays):
    """The procedures a counter receives most, on the map of the day: before 1/7/2025 the
    district's or the commune's of the earlier catalogue (at its level then) that the counter
    could receive; after it today's communal procedures."""
    if not todays:
        level = "district" if counter.kind == "one_stop_district" else "commune"
        area = _area_path(counter)
        return [
            d.procedure
            for d in procedures
            if d.old_level == level
            # A district procedure today's catalogue took over now has today's handlers.
            and (level == "commune" or not d.todays)
            and (d.procedure.boundary_free or any(path.startswith(area) for path in d.paths))
        ]
    # The demo staffs the communes, not the provincial departments: every counter (the
    # province's centre receiving province-wide too) draws the communal procedures.
    return [
        d.procedure
        for d in procedures
        if d.todays
        and "commune" in d.kinds
        and d.kinds <= {"commune", "one_stop_province"}
        and (d.procedure.levels or d.procedure.level.code) in ("commune", "both")
    ]


def _area_path(counter):
    """The path of the counter's area, kept on the instance (the draw asks for each dossier)."""
    if not hasattr(counter, "_demo_area_path"):
        counter._demo_area_path = (counter.area() or counter).path
    return counter._demo_area_path


@dataclass(frozen=True)
class _Drawn:
    """A procedure as the demo draws it: its level in the earlier catalogue (None: not in
    it), whether today's lists it, the paths and kinds of its handling units."""

    procedure: Procedure
    old_level: str | None
    todays: bool
    paths: tuple
    kinds: frozenset


def _drawable():
    old = {
        item["national_code"]: item["level"]
        for item in read_json(DATA_DIR / "catalogue.json")["procedures"]
    }
    todays = todays_codes()
    return [
        _Drawn(
            p,
            old.get(p.national_code),
            p.national_code in todays,
            tuple(u.path for u in p.handling_units.all()),
            frozenset(u.kind for u in p.handling_units.all()),
        )
        for p in Procedure.objects.select_related("level")
        .prefetch_related("components", "handling_units")
        .order_by("pk")
    ]


def _draw(rng, units, procedures, now, zone, cal):
    """One dossier to generate: when, at which counter (the map of that day), which
    procedure, which state it reaches."""
    # A fifth of the dossiers are recent (still being handled), the rest spread back.
    age_days = rng.randint(0, 30) if rng.random() < 0.2 else rng.randint(31, 730)
    day = (now - timedelta(days=age_days)).astimezone(zone).date()
    counters, weights = _counters(units, today_map=day >= MERGE_DAY)
    counter = rng.choices(counters, weights=weights)[0]
    offered = _offered(procedures, counter, day >= MERGE_DAY)
    procedure = rng.choice(offered or [d.procedure for d in procedures])
    start = _working_moment(rng, cal, day, zone)
    if start > now - timedelta(hours=1):
        start = _working_moment(rng, cal, day - timedelta(days=1), zone)
    state = _pick(rng, OLD_STATES if age_days > 45 else RECENT_STATES)
    if state in (State.SUBMITTED, State.REFUSED) and procedure.online_level == "none":
        state = State.RECEIVED if state == State.SUBMITTED else State.WITHDRAWN
    return start, counter, procedure, state


def load_dossiers(units: dict[str, Unit], *, count=420, seed=141, now=None) -> int:
    """Generate ``count`` dossiers once, through the services, in the order things happened:
    every reception and every action is an event on one timeline, and on 1/7/2025 the
    reorganisation service ends the district map (services.todays_map), so dossiers open that
    day are handed over and finished by the successors' staff. Returns how many were made."""
    if Dossier.objects.exists():
        return 0
    rng = random.Random(seed)
    zone = ZoneInfo(settings.TIME_ZONE)
    now = now or timezone.now()
    cal = WorkingCalendar.load()
    procedures = _drawable()
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
    # Most people go to their own commune's centre; some to another, or the province's.
    homes = {}
    for a in applicants:
        home = todays_commune(a["address"])
        homes.setdefault(home.code if home else None, []).append(a)
    timeline, order = [], itertools.count()
    for _ in range(count):
        start, counter, procedure, state = _draw(rng, units, procedures, now, zone, cal)
        timeline.append((start, next(order), "receive", (counter, procedure, state)))
    merge_at = datetime.combine(MERGE_DAY, time(0, 0), tzinfo=zone)
    if merge_at < now:
        timeline.append((merge_at, next(order), "merge", None))
    heapq.heapify(timeline)
    people = _Staff()
    created = 0
    # All or nothing: a half-loaded demo would be skipped by the next run.
    with transaction.atomic(), forms_deferred(), notifications.suppressed():
        while timeline:
            moment, _, kind, payload = heapq.heappop(timeline)
            if kind == "merge":
                apply_todays_map()
                end_procedures_not_in_force()
                people = _Staff()  # the accounts now belong to the successors
            elif kind == "receive":
                counter, procedure, state = payload
                local = homes.get(counter.code)
                applicant = rng.choice(local if local and rng.random() < 0.75 else applicants)
                dossier = _receive(rng, counter, procedure, state, applicant, moment, people)
                span = (dossier.due_at - moment) if dossier.due_at else timedelta(days=2)
                finish = cal.start_of_work(moment + span * rng.uniform(0.35, 1.25))
                finish = min(
                    finish + timedelta(minutes=rng.randint(0, 180)), now - timedelta(minutes=30)
                )
                steps = _schedule(dossier, PATHS.get(state, []), moment, finish, rng)
                for at, code, inputs in steps:
                    heapq.heappush(timeline, (at, next(order), "act", (dossier.pk, code, inputs)))
                after = min(finish + timedelta(days=1), now)
                if state in (State.RETURNED, State.ARCHIVED) and rng.random() < 0.7:
                    heapq.heappush(timeline, (after, next(order), "rate", dossier.pk))
                if state == State.ARCHIVED:
                    at = min(finish + timedelta(days=3), now)
                    heapq.heappush(timeline, (at, next(order), "archive", dossier.pk))
                created += 1
            elif kind == "act":
                _act(*payload, moment, people, rng)
            elif kind == "rate":
                _rate(Dossier.objects.get(pk=payload), rng, moment)
            else:
                services.mark_archived(payload, at=moment)
        _stop_requests(people)
    return created


STOP_REASON = "Gia đình đã thống nhất không tiếp tục thực hiện thủ tục."


def _stop_requests(people):
    """Nghị định 118/2025's stop at the applicant's request, after the timeline (so the draws
    above stay as they were): of the dossiers being handled on today's map, the counter has
    stopped three at a written request, and two applicants have asked online and wait for it."""
    handled = Dossier.objects.filter(
        state=State.IN_PROGRESS, received_at__date__gte=MERGE_DAY
    ).order_by("-received_at", "-id")
    for n, dossier in enumerate(handled[:5]):
        if n < 3:
            actor = _actor_for("stop", dossier, people)
            services.take_action("stop", dossier.pk, actor=actor, reason=STOP_REASON)
        else:
            services.request_stop(dossier.pk, reason=STOP_REASON, channel="online")


def _receive(rng, counter, procedure, state, applicant, moment, people):
    if state in (State.SUBMITTED, State.REFUSED):
        return services.submit_online(
            procedure=procedure,
            unit=counter,
            applicant=applicant,
            components=_components(procedure),
            at=moment,
        )
    channel = rng.choices([Channel.DIRECT, Channel.ONLINE, Channel.POST], [58, 36, 6])[0]
    return services.receive_dossier(
        actor=people.get(counter, "clerk"),
        procedure=procedure,
        applicant=applicant,
        components=_components(procedure),
        channel=channel,
        at=moment,
    )


def load_demo(*, now=None) -> dict:
    """Units, reference data, staff and dossiers; safe to run again."""
    with transaction.atomic():
        units = load_units()
        reference = load_reference_data()
        usernames = [username for username, *_ in load_staff(units)]
    created = load_dossiers(units, now=now)
    # Already applied on the timeline; here when the dossiers were not made.
    apply_todays_map()
    end_procedures_not_in_force()
    today = timezone.localdate(now)
    in_force = set(units_in_force(today).values_list("pk", flat=True))
    demo_loaded.send(sender=load_demo, units={c: u for c, u in units.items() if u.pk in in_force})
    return {
        "units": len(units),
        "accounts": accounts_table(usernames),
        "dossiers_created": created,
        **reference,
    }
