"""``manage.py import_catalogue`` and the admin upload: the national portal's two shapes, rules
recorded by effective date, dossiers kept under the rules of the day they were received, dry
runs that write nothing, and bad input named by row and column (or record and key)."""

import io
import json
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from dossiers.calendar import WorkingCalendar, due_for_procedure
from dossiers.models import AuditEvent, Dossier, Procedure, ProcedureRevision
from dossiers.printing import render_form
from dossiers.roles import ensure_roles
from dossiers.services import ReceivedComponent, receive_dossier
from dossiers.services.catalogue_rules import apply_revisions_due

from .factories import UnitFactory, UnitLevelFactory, staff
from .test_form_bases import pdf_text
from .workflow_fixtures import CITIZEN

SAMPLES = Path(__file__).resolve().parent.parent / "dossiers" / "data" / "samples"
JSON_SAMPLE = SAMPLES / "dvcqg_laythutuc.json"
EXCEL_SAMPLE = SAMPLES / "dvcqg_export.xlsx"
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def commune(db):
    UnitLevelFactory(code="province", name="Tỉnh", rank=1)
    level = UnitLevelFactory(code="commune", name="Xã, phường", rank=3)
    return UnitFactory(code="H50.14280", name="UBND xã Tà Xùa", level=level, kind="commune")


def run(path, *args):
    out = io.StringIO()
    call_command("import_catalogue", str(path), *args, stdout=out)
    return out.getvalue()


def sample(tmp_path, change=None, name="laythutuc.json"):
    data = json.loads(JSON_SAMPLE.read_text(encoding="utf-8"))
    if change:
        change(data["result"])
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def by_code(records, code):
    return next(r for r in records if r["MATTHC"] == code)


def test_both_sample_files_create_their_procedures(commune):
    out = run(JSON_SAMPLE)
    assert "6 thủ tục mới" in out
    assert "[Tạo mới] 1.001193 Thủ tục đăng ký khai sinh" in out
    assert "5 thủ tục mới" in run(EXCEL_SAMPLE)
    assert Procedure.objects.count() == 11
    birth = Procedure.objects.get(national_code="1.001193")
    assert (birth.time_kind, birth.same_day_cutoff, birth.fee_vnd) == ("same_day", time(15), 0)
    assert birth.field.name == "Hộ tịch"
    assert birth.components.count() == 6
    assert list(birth.handling_units.all()) == [commune]
    assert not birth.verified and "Cổng DVCQG" in birth.sources[0]
    assert birth.retention_permanent and "chưa xác minh" in birth.data_note
    copy = Procedure.objects.get(national_code="2.000815")
    assert (copy.levels, copy.level.code, copy.fee_vnd) == ("both", "commune", 2000)
    foreign = Procedure.objects.get(national_code="2.000806")
    assert (foreign.time_kind, foreign.calendar_days) == ("calendar_days", 15)
    paternity = Procedure.objects.get(national_code="1.001022")
    assert (paternity.time_kind, paternity.working_days, paternity.fee_vnd) == (
        "working_days",
        3,
        15000,
    )
    assert ProcedureRevision.objects.count() == 11  # each procedure's first rules
    # The same file again changes nothing.
    assert "0 thủ tục mới, 0 thủ tục cập nhật, 6 không đổi" in run(JSON_SAMPLE)
    assert ProcedureRevision.objects.count() == 11


def receive(procedure, clerk, when):
    components = [ReceivedComponent(c.pk) for c in procedure.components.all()]
    return receive_dossier(
        actor=clerk, procedure=procedure, applicant=CITIZEN, components=components, at=when
    )


def test_a_changed_fee_is_a_revision_and_each_dossier_keeps_the_rules_of_its_day(commune, tmp_path):
    clerk = staff(commune, "clerk", username="motcua.taxua")
    run(JSON_SAMPLE, "--effective-from", "2026-01-01")
    procedure = Procedure.objects.get(national_code="2.000635")
    before = receive(procedure, clerk, datetime(2026, 3, 2, 9, tzinfo=VN))

    def dearer_and_slower(records):
        timing = by_code(records, "2.000635")["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]
        timing["PHILEPHI"][0]["SOTIEN"] = 10000
        timing.update(THOIGIANGIAIQUYET=2, DONVITINH="Ngày làm việc")

    out = run(sample(tmp_path, dearer_and_slower), "--effective-from", "2026-06-01")
    assert "[Cập nhật] 2.000635" in out
    assert "phí, lệ phí: 8.000 đồng → 10.000 đồng" in out
    assert "áp dụng từ 01/06/2026" in out
    revisions = list(procedure.revisions.order_by("effective_from"))
    assert [r.effective_from for r in revisions] == [date(2026, 1, 1), date(2026, 6, 1)]
    assert revisions[1].changed == ["time", "fee"]
    procedure.refresh_from_db()
    assert (procedure.fee_vnd, procedure.working_days) == (10000, 2)  # in force now

    after = receive(procedure, clerk, datetime(2026, 7, 1, 9, tzinfo=VN))
    before.refresh_from_db()
    assert before.received_rules.fee_vnd == 8000
    assert before.received_rules.time_kind == "same_day"
    assert after.received_rules.fee_vnd == 10000
    assert after.due_at == datetime(2026, 7, 3, 9, tzinfo=VN)  # 2 working days
    # Each receipt (Mẫu 01) prints the time of the rules its dossier was received under.
    assert "Trong ngày" in pdf_text(render_form(before, "receipt"))
    assert "2 ngày làm việc" in pdf_text(render_form(after, "receipt"))
    # A supplement restarts the clock under the rules the dossier was received under.
    calendar = WorkingCalendar.load()
    again = datetime(2026, 7, 6, 16, tzinfo=VN)
    assert due_for_procedure(before.received_rules, again, calendar=calendar) == datetime(
        2026, 7, 7, 17, tzinfo=VN
    )


def test_a_revision_for_a_later_day_leaves_todays_rules_alone(commune, tmp_path):
    run(JSON_SAMPLE, "--effective-from", "2026-01-01")

    def dearer(records):
        fee = by_code(records, "2.000884")["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["PHILEPHI"][0]
        fee["SOTIEN"] = 20000

    out = run(sample(tmp_path, dearer), "--effective-from", "2099-01-01")
    assert "(chưa đến ngày)" in out
    procedure = Procedure.objects.get(national_code="2.000884")
    assert procedure.fee_vnd == 10000
    assert procedure.rules_on(date(2099, 1, 1)).fee_vnd == 20000
    assert procedure.rules_on(date(2098, 12, 31)).fee_vnd == 10000
    # On its day the nightly task makes it the procedure's own fee, once.
    assert apply_revisions_due(date(2098, 12, 31)) == 0
    assert apply_revisions_due(date(2099, 1, 1)) == 1
    procedure.refresh_from_db()
    assert procedure.fee_vnd == 20000
    Procedure.objects.filter(pk=procedure.pk).update(fee_vnd=25000)  # edited in the admin
    assert apply_revisions_due(date(2099, 1, 2)) == 0
    assert Procedure.objects.get(pk=procedure.pk).fee_vnd == 25000


def test_a_dry_run_prints_the_changes_in_vietnamese_and_writes_nothing(commune, tmp_path):
    out = run(JSON_SAMPLE, "--dry-run")
    assert "Chạy thử (chưa ghi gì): 6 thủ tục mới" in out
    assert not Procedure.objects.exists()
    assert not AuditEvent.objects.filter(action="catalogue.national_import").exists()
    run(JSON_SAMPLE)

    def free(records):
        by_code(records, "2.000635")["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["PHILEPHI"] = []

    out = run(sample(tmp_path, free), "--dry-run")
    assert "phí, lệ phí: 8.000 đồng → chưa có" in out
    assert Procedure.objects.get(national_code="2.000635").fee_vnd == 8000
    assert ProcedureRevision.objects.count() == 6


def break_json(key_path, value):
    def change(records):
        target = records[1]
        for key in key_path[:-1]:
            target = target[key]
        if value is KeyError:
            del target[key_path[-1]]
        else:
            target[key_path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (break_json(["TENTTHC"], KeyError), "Bản ghi 2, khóa TENTTHC: thiếu dữ liệu."),
        (break_json(["MATTHC"], "1.001193"), "Bản ghi 2: mã thủ tục 1.001193 trùng với bản ghi 1."),
        (
            break_json(["CACHTHUCTHUCHIEN", 0, "THOIGIAN", 0, "PHILEPHI", 0, "SOTIEN"], -5000),
            "Bản ghi 2, khóa CACHTHUCTHUCHIEN.THOIGIAN.PHILEPHI[1].SOTIEN: phí, lệ phí không "
            "được âm",
        ),
        (
            break_json(["CACHTHUCTHUCHIEN", 0, "THOIGIAN", 0, "DONVITINH"], "Tháng"),
            "không biết cách tính thời hạn 'Tháng'",
        ),
        (break_json(["CAPTHUCHIEN"], ["Cấp Huyện"]), "cấp thực hiện 'Cấp Huyện' không có"),
        (break_json(["NGAYCOHIEULUC"], "31/02/2026"), "khóa NGAYCOHIEULUC: ngày '31/02/2026'"),
    ],
)
def test_a_bad_json_record_is_named_and_nothing_is_imported(commune, tmp_path, change, message):
    with pytest.raises(CommandError) as err:
        run(sample(tmp_path, change))
    assert message in str(err.value)
    assert "Chưa nhập thủ tục nào." in str(err.value)
    assert not Procedure.objects.exists()  # record 1 was valid: rolled back with the rest


def excel(tmp_path, change):
    book = load_workbook(EXCEL_SAMPLE)
    change(book.active)
    path = tmp_path / "export.xlsx"
    book.save(path)
    return path


def delete_column(title):
    def change(sheet):
        for cell in sheet[2]:
            if cell.value == title:
                sheet.delete_cols(cell.column)
                return

    return change


def set_cell(row, title, value):
    def change(sheet):
        column = next(c.column for c in sheet[2] if c.value == title)
        sheet.cell(row=row, column=column).value = value  # cell(value=None) would keep it

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (delete_column("Thời hạn giải quyết"), "Dòng 2: thiếu cột «Thời hạn giải quyết»."),
        (set_cell(4, "Mã thủ tục", "1.001022"), "Dòng 4: mã thủ tục 1.001022 trùng với dòng 3."),
        (set_cell(5, "Phí, lệ phí", -1000), "Dòng 5, cột «Phí, lệ phí» (G): phí, lệ phí không"),
        (
            set_cell(3, "Thời hạn giải quyết", "3 tháng"),
            "Dòng 3, cột «Thời hạn giải quyết» (F): không biết cách tính thời hạn 'tháng'",
        ),
        (
            set_cell(6, "Cấp thực hiện", "Cấp Huyện"),
            "Dòng 6, cột «Cấp thực hiện» (D): cấp thực hiện 'Cấp Huyện'",
        ),
        (
            set_cell(7, "Ngày hiệu lực", "2026-13-01"),
            "Dòng 7, cột «Ngày hiệu lực» (K): ngày '2026-13-01' không hợp lệ",
        ),
        (set_cell(3, "Tên thủ tục", None), "Dòng 3, cột «Tên thủ tục» (C): thiếu dữ liệu."),
    ],
)
def test_a_bad_excel_row_is_named_by_row_and_column(commune, tmp_path, change, message):
    with pytest.raises(CommandError) as err:
        run(excel(tmp_path, change))
    assert message in str(err.value)
    assert not Procedure.objects.exists()


def test_a_bad_effective_date_and_an_unknown_file_kind_are_refused(commune, tmp_path):
    with pytest.raises(CommandError, match="không phải ngày dạng YYYY-MM-DD"):
        run(JSON_SAMPLE, "--effective-from", "01/07/2026")
    other = tmp_path / "danh-muc.csv"
    other.write_text("Mã thủ tục\n1.001193\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"Chỉ nhận tệp \.json"):
        run(other)
    empty = Workbook()
    empty.active.append(["Tên thủ tục"])
    empty.save(tmp_path / "trong.xlsx")
    with pytest.raises(CommandError, match="Không tìm thấy dòng tiêu đề"):
        run(tmp_path / "trong.xlsx")


@pytest.fixture
def office(commune):
    ensure_roles()
    user = staff(UnitFactory(name="Văn phòng UBND tỉnh"), "district_office", username="vp.tinh")
    user.is_staff = True
    user.save()
    return user


URL = "/quan-tri/dossiers/procedure/nhap-dvcqg/"


def test_the_province_office_previews_then_confirms_an_upload_in_the_admin(client, office):
    client.force_login(office)
    listing = client.get("/quan-tri/dossiers/procedure/")
    assert "Nhập từ Cổng DVCQG" in listing.content.decode()
    with EXCEL_SAMPLE.open("rb") as upload:
        preview = client.post(URL, {"file": upload, "effective_from": "01/07/2026"})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Chạy thử (chưa ghi gì): 5 thủ tục mới" in page
    assert "[Tạo mới] 1.004873" in page
    assert not Procedure.objects.exists()  # a preview writes nothing
    confirm = {k: ("" if v is None else v) for k, v in preview.context["confirm"].initial.items()}
    done = client.post(URL, {**confirm, "confirm": "1"}, follow=True)
    assert "Đã nhập: 5 thủ tục mới" in done.content.decode()
    assert Procedure.objects.count() == 5
    assert set(ProcedureRevision.objects.values_list("effective_from", flat=True)) == {
        date(2026, 7, 1)
    }
    audit = AuditEvent.objects.get(action="catalogue.national_import")
    assert audit.actor == office and audit.data["created"] == 5
    unverified = client.get("/quan-tri/dossiers/procedure/").content.decode()
    assert "chưa xác minh" in unverified


def test_an_upload_with_an_error_shows_it_and_a_tampered_confirm_is_refused(client, office):
    client.force_login(office)
    broken = io.BytesIO(b'{"result": [{"MATTHC": "1.001193"}]}')
    broken.name = "loi.json"
    page = client.post(URL, {"file": broken}).content.decode()
    assert "Bản ghi 1, khóa TENTTHC: thiếu dữ liệu." in page
    with JSON_SAMPLE.open("rb") as upload:
        preview = client.post(URL, {"file": upload})
    confirm = {k: v or "" for k, v in preview.context["confirm"].initial.items()}
    confirm["sha256"] = "0" * 64
    refused = client.post(URL, {**confirm, "confirm": "1"}).content.decode()
    assert "Tệp đã xem trước bị thay đổi" in refused
    assert not Procedure.objects.exists()


def test_a_clerk_cannot_upload_the_catalogue(client, commune):
    ensure_roles()
    clerk = staff(commune, "clerk", username="motcua.upload")
    client.force_login(clerk)
    with JSON_SAMPLE.open("rb") as upload:
        response = client.post(URL, {"file": upload})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Procedure.objects.exists()


def test_a_staff_account_without_catalogue_rights_is_refused(client, commune):
    ensure_roles()
    user = staff(commune, "clerk", username="staff.khong.quyen")
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert not Dossier.objects.exists()
