"""The counterpart DVCQG over real HTTP: its token, the sync services (accepted, duplicate,
refused), each fault it plays, its records across a restart, its control token, and the
dossiers it offers (pull, acknowledge, signed push)."""

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx
import pytest
from django.conf import settings

from tests.counterpart_fixtures import PUSH_SECRET

UNIT = "000.00.00.H52"


class Platform:
    """A thin client of the counterpart's API, as the portal's adapter will talk to it."""

    def __init__(self, counterpart):
        self.cp = counterpart
        self.api = f"{counterpart.url}/dvcqg/api/"
        self.session = None

    def token(self, username=None, password=None):
        return httpx.post(
            f"{self.api}LayToken",
            json={
                "username": username or settings.DVCQG_USERNAME,
                "password": password or settings.DVCQG_PASSWORD,
            },
            timeout=10,
        )

    def call(self, service, timeout=10, **envelope):
        if self.session is None:
            self.session = self.token().json()["session"]
        body = {"session": self.session, "madonvi": UNIT, "service": service, **envelope}
        return httpx.post(self.api, json=body, timeout=timeout)

    def sync(self, item, timeout=10):
        return self.call("DongBoHoSoMC", timeout=timeout, isUpdating="False", data=[item])

    def step(self, item):
        return self.call("CapNhatTienDoHoSoMC", data=[item])


def dossier(code="H52.22.02-251202-0001", **fields):
    return {
        "MaHoSo": code,
        "MaTTHC": "1.001234",
        "TenTTHC": "Đăng ký khai sinh",
        "MaLinhVuc": "HT",
        "TenLinhVuc": "Hộ tịch",
        "ChuHoSo": "Lò Văn Thành",
        "LoaiDoiTuong": "1",
        "MaDoiTuong": "",
        "SoDienThoai": "0912345678",
        "Email": "",
        "DiaChi": "Bản Mường, xã Phiêng Ban",
        "TrichYeuHoSo": "Đăng ký khai sinh cho con",
        "NgayTiepNhan": "20251202083000",
        "NgayHenTra": "20251203170000",
        "TrangThaiHoSo": "2",
        "HinhThuc": "0",
        "DonViXuLy": "UBND xã Phiêng Ban",
        "TaiLieuNop": [],
        "DanhSachLePhi": [],
        "DanhSachHoSoBoSung": [],
        "DanhSachGiayToKetQua": [],
        "MaThongDiep": str(uuid.uuid4()),
        **fields,
    }


def step(code="H52.22.02-251202-0001", number=1, **fields):
    return {
        "MaHoSo": code,
        "NguoiXuLy": "Quàng Thị Mai",
        "ChucDanh": "Công chức Tư pháp - Hộ tịch",
        "ThoiDiemXuLy": "20251202090000",
        "PhongBanXuLy": "Bộ phận Một cửa",
        "NoiDungXuLy": "Tiếp nhận hồ sơ",
        "TrangThai": "2",
        "NgayBatDau": "20251202083000",
        "NgayKetThucTheoQuyDinh": "20251203170000",
        "MaThongDiep": str(uuid.uuid4()),
        "SoThuTu": number,
        **fields,
    }


@pytest.fixture
def platform(counterpart):
    counterpart.control("POST", "reset")
    yield Platform(counterpart)
    counterpart.control("POST", "reset")


def test_token_with_the_right_account_and_refused_with_a_wrong_one(platform):
    good = platform.token()
    assert good.status_code == 200
    assert good.json()["error_code"] == 0 and good.json()["expires_in"] == 3600
    assert len(good.json()["session"]) >= 32
    bad = platform.token(password="sai")
    assert bad.status_code == 401
    assert bad.json() == {"error_code": 1, "message": "Sai tài khoản hoặc mật khẩu"}


def test_unknown_and_expired_sessions_are_refused(platform, counterpart):
    platform.session = "khong-co"
    assert platform.sync(dossier()).status_code == 401
    platform.session = None
    assert platform.sync(dossier()).json()["error_code"] == 0
    counterpart.control("POST", "expire-sessions")
    expired = platform.sync(dossier())
    assert expired.status_code == 401
    assert expired.json() == {"error_code": 99, "message": "Phiên làm việc hết hạn"}


def test_a_dossier_is_accepted_once_and_its_resend_is_a_duplicate(platform, counterpart):
    item = dossier()
    first = platform.sync(item)
    assert first.status_code == 200
    assert first.json() == {
        "error_code": 0,
        "message": "Thành công",
        "MaThongDiep": item["MaThongDiep"],
        "duplicate": False,
    }
    again = platform.sync(item)
    assert again.json()["error_code"] == 0 and again.json()["duplicate"] is True
    recorded = counterpart.control("GET", "messages", params={"mahoso": item["MaHoSo"]})
    assert [m["MaThongDiep"] for m in recorded] == [item["MaThongDiep"]]
    assert recorded[0]["payload"]["ChuHoSo"] == "Lò Văn Thành"
    assert recorded[0]["madonvi"] == UNIT and recorded[0]["isUpdating"] == "False"
    stats = counterpart.control("GET", "stats")
    assert (stats["accepted"], stats["duplicates"], stats["rejected"]) == (1, 1, 0)
    assert stats["by_service"]["DongBoHoSoMC"] == {"accepted": 1, "duplicates": 1, "rejected": 0}
    found = platform.call("TraCuuHoSo", mahoso=item["MaHoSo"]).json()
    assert found == {"error_code": 0, "result": [item]}
    assert platform.call("TraCuuHoSo", mahoso="khong-co").json()["result"] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"MaTTHC": ""}, "MaTTHC"),
        ({"NgayTiepNhan": "02/12/2025"}, "NgayTiepNhan"),
        ({"NgayHenTra": "2025-12-03"}, "NgayHenTra"),
        ({"TrangThaiHoSo": "11"}, "TrangThaiHoSo"),
        ({"MaThongDiep": "khong-phai-uuid"}, "MaThongDiep"),
        ({"TaiLieuNop": "một tệp"}, "TaiLieuNop"),
    ],
)
def test_an_invalid_dossier_is_refused_naming_the_field(platform, counterpart, change, field):
    item = dossier(**change)
    refused = platform.sync(item)
    assert refused.status_code == 200
    assert refused.json()["error_code"] == 2
    assert field in refused.json()["message"]
    assert refused.json()["MaThongDiep"] == item["MaThongDiep"]
    assert counterpart.control("GET", "stats")["rejected"] == 1
    assert counterpart.control("GET", "messages") == []


def test_steps_need_their_dossier_and_are_checked(platform, counterpart):
    unknown = platform.step(step(code="H52.22.02-251202-0099"))
    assert unknown.json()["error_code"] == 3
    assert "Chưa có hồ sơ" in unknown.json()["message"]
    platform.sync(dossier())
    for change, field in [
        ({"SoThuTu": 0}, "SoThuTu"),
        ({"SoThuTu": True}, "SoThuTu"),
        ({"TrangThai": "0"}, "TrangThai"),
        ({"ThoiDiemXuLy": None}, "ThoiDiemXuLy"),
    ]:
        refused = platform.step(step(**change)).json()
        assert refused["error_code"] == 2 and field in refused["message"], refused
    assert platform.step(step(number=1)).json()["duplicate"] is False
    assert counterpart.control("GET", "stats")["by_service"]["CapNhatTienDoHoSoMC"] == {
        "accepted": 1,
        "duplicates": 0,
        "rejected": 5,
    }


def test_steps_out_of_order_are_reported(platform, counterpart):
    platform.sync(dossier())
    platform.sync(dossier(code="H52.22.02-251202-0002"))
    for number in (1, 3, 2):
        platform.step(step(number=number))
    for number in (1, 2):
        platform.step(step(code="H52.22.02-251202-0002", number=number))
    assert counterpart.control("GET", "stats")["out_of_order"] == ["H52.22.02-251202-0001"]
    steps = counterpart.control(
        "GET", "messages", params={"service": "CapNhatTienDoHoSoMC", "mahoso": dossier()["MaHoSo"]}
    )
    assert [(m["SoThuTu"], m["out_of_order"]) for m in steps] == [(1, False), (3, False), (2, True)]


def test_a_list_of_items_gets_one_result_each(platform):
    first, bad = dossier(), dossier(code="H52.22.02-251202-0003", TrangThaiHoSo="")
    answer = platform.call("DongBoHoSoMC", isUpdating="True", data=[first, bad]).json()
    assert answer["error_code"] == 0
    assert [r["error_code"] for r in answer["results"]] == [0, 2]


def test_what_a_client_can_send_wrong_is_a_clear_400(platform):
    session = platform.token().json()["session"]
    cases = [
        b"khong phai json",
        json.dumps([1, 2]).encode(),
        json.dumps({"session": session, "service": "KhongCo", "data": []}).encode(),
        json.dumps({"session": session, "service": "DongBoHoSoMC", "madonvi": UNIT}).encode(),
        json.dumps(
            {"session": session, "service": "DongBoHoSoMC", "madonvi": UNIT, "data": [{}]}
            | {"isUpdating": "yes"}
        ).encode(),
    ]
    for body in cases:
        response = httpx.post(platform.api, content=body, timeout=10)
        assert response.status_code in (400, 401), body
        assert response.json()["message"], body
    assert httpx.post(f"{platform.api}LayToken", content=b"{", timeout=10).status_code == 400


def test_error_500_for_the_next_requests_then_normal(platform, counterpart):
    counterpart.control("POST", "faults", json={"mode": "error_500", "count": 2})
    item = dossier()
    assert platform.sync(item).status_code == 500
    assert platform.sync(item).status_code == 500
    assert platform.sync(item).json()["duplicate"] is False
    assert counterpart.control("GET", "faults")["mode"] == "none"
    assert counterpart.control("GET", "stats")["requests"] == 3


def test_a_timeout_keeps_the_message_and_its_resend_is_a_duplicate(platform, counterpart):
    counterpart.control(
        "POST", "faults", json={"mode": "timeout", "count": 1, "delay_seconds": 1.5}
    )
    item = dossier()
    with pytest.raises(httpx.ReadTimeout):
        platform.sync(item, timeout=0.5)
    assert platform.sync(item).json()["duplicate"] is True
    assert counterpart.control("GET", "stats")["accepted"] == 1


def test_slow_answers_late_but_answers(platform, counterpart):
    counterpart.control("POST", "faults", json={"mode": "slow", "delay_seconds": 0.6})
    response = platform.sync(dossier(), timeout=5)
    assert response.json()["duplicate"] is False
    assert response.elapsed.total_seconds() >= 0.6


def test_duplicate_ack_records_but_answers_duplicate(platform, counterpart):
    counterpart.control("POST", "faults", json={"mode": "duplicate_ack", "count": 1})
    item = dossier()
    assert platform.sync(item).json() | {"MaThongDiep": None} == {
        "error_code": 0,
        "message": "Thành công",
        "MaThongDiep": None,
        "duplicate": True,
    }
    assert len(counterpart.control("GET", "messages")) == 1


def test_reject_only_for_the_named_services(platform, counterpart):
    counterpart.control(
        "POST", "faults", json={"mode": "reject", "services": ["CapNhatTienDoHoSoMC"]}
    )
    assert platform.sync(dossier()).json()["error_code"] == 0
    rejected = platform.step(step()).json()
    assert rejected["error_code"] == 2
    assert rejected["message"] == "Dữ liệu không hợp lệ (mô phỏng)"
    assert platform.step(step()).json()["error_code"] == 2  # until reset
    counterpart.control("POST", "faults", json={"mode": "none"})
    assert platform.step(step()).json()["error_code"] == 0


def test_a_bad_fault_is_refused(counterpart):
    for body in [{"mode": "explode"}, {"mode": "slow", "count": 0}, {"mode": "slow", "count": "x"}]:
        response = httpx.post(
            f"{counterpart.url}/dvcqg/control/faults",
            json=body,
            headers={"Authorization": "Bearer counterpart-control-tests"},
            timeout=10,
        )
        assert response.status_code == 400 and response.json()["message"]


def test_records_and_faults_survive_a_restart(platform, counterpart):
    item = dossier()
    platform.sync(item)
    counterpart.control("POST", "faults", json={"mode": "error_500", "count": 1})
    counterpart.stop()
    with pytest.raises(httpx.ConnectError):
        platform.sync(dossier())
    counterpart.start()
    assert platform.sync(item).status_code == 500  # the fault was kept
    assert platform.sync(item).json()["duplicate"] is True  # and the session, and the message
    assert counterpart.control("GET", "stats")["accepted"] == 1


def test_control_needs_the_token(counterpart):
    for method, path in [("GET", "stats"), ("GET", "messages"), ("POST", "reset")]:
        for headers in [{}, {"Authorization": "Bearer sai"}]:
            response = httpx.request(
                method, f"{counterpart.url}/dvcqg/control/{path}", headers=headers, timeout=10
            )
            assert response.status_code == 403
            assert response.json()["message"] == "Không có quyền dùng chức năng điều khiển"


def national(code="H52.99-251202-0001", unit="H52.22.02", **fields):
    return {
        "MaHoSoQG": code,
        "MaTTHC": "1.001234",
        "MaDonViNhan": unit,
        "ChuHoSo": "Lò Thị Hoa",
        "SoDinhDanh": "014199001234",
        "SoDienThoai": "0987654321",
        "Email": "hoa@example.vn",
        "DiaChi": "Bản Nà, xã Phiêng Ban",
        "TrichYeu": "Đăng ký khai sinh",
        "NgayNop": "20251202080000",
        "TepDinhKem": [
            {"TenTep": "to-khai.pdf", "MaThanhPhan": "TP1"},
            {
                "TenTep": "giay-chung-sinh.png",
                "MaThanhPhan": "TP2",
                "NoiDungBase64": base64.b64encode(b"\x89PNG\r\n\x1a\nxx").decode(),
            },
        ],
        **fields,
    }


def test_offered_dossiers_are_pulled_with_their_files_until_acknowledged(platform, counterpart):
    counterpart.control("POST", "offer", json=national())
    counterpart.control("POST", "offer", json=national(code="H51.99-251202-0007", unit="H51.01"))
    pulled = platform.call("LayDanhSachHoSoMoi").json()
    assert pulled["error_code"] == 0
    codes = [d["MaHoSoQG"] for d in pulled["result"]]
    assert codes == ["H52.99-251202-0001", "H51.99-251202-0007"]  # the portal sorts them out
    files = pulled["result"][0]["TepDinhKem"]
    assert [(f["TenTep"], f["MaThanhPhan"], f["KieuTep"]) for f in files] == [
        ("to-khai.pdf", "TP1", "application/pdf"),
        ("giay-chung-sinh.png", "TP2", "image/png"),
    ]
    assert httpx.get(files[0]["DuongDan"], timeout=10).status_code == 401
    content = httpx.get(files[0]["DuongDan"], params={"session": platform.session}, timeout=10)
    assert content.content.startswith(b"%PDF-") and len(content.content) == files[0]["KichThuoc"]
    ack = platform.call(
        "XacNhanDaNhanHoSo", data=[{"MaHoSoQG": "H52.99-251202-0001", "MaHoSo": "H52.22.02-1"}]
    ).json()
    assert ack["error_code"] == 0
    left = platform.call("LayDanhSachHoSoMoi").json()["result"]
    assert [d["MaHoSoQG"] for d in left] == ["H51.99-251202-0007"]
    unknown = platform.call("XacNhanDaNhanHoSo", data=[{"MaHoSoQG": "khong-co"}]).json()
    assert unknown["error_code"] == 3
    offered = counterpart.control("GET", "offered")
    assert offered[0]["MaHoSo"] == "H52.22.02-1" and offered[0]["acknowledged_at"]
    again = httpx.post(
        f"{counterpart.url}/dvcqg/control/offer",
        json=national(),
        headers={"Authorization": "Bearer counterpart-control-tests"},
        timeout=10,
    )
    assert again.status_code == 409 and "đã có" in again.json()["message"]


class Receiver(BaseHTTPRequestHandler):
    """Stands for the portal's push endpoint: keeps what it got, answers 201."""

    received: list = []

    def do_POST(self):  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((dict(self.headers), body))
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ok": true}')

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/push", Receiver.received
    server.shutdown()


def test_a_push_is_signed_and_forgeries_are_as_asked(platform, counterpart, receiver):
    url, received = receiver
    pushed = counterpart.control("POST", "offer", json=national() | {"push": True, "url": url})
    assert pushed["push"]["status"] == 201 and pushed["push"]["answer"] == {"ok": True}
    headers, body = received[0]
    timestamp, nonce = headers["X-DVCQG-Timestamp"], headers["X-DVCQG-Nonce"]
    expected = hmac.new(
        PUSH_SECRET.encode(), f"{timestamp}.{nonce}.".encode() + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-DVCQG-Signature"] == expected
    assert json.loads(body)["TepDinhKem"][0]["DuongDan"].startswith(counterpart.url)
    before = int(time.time())
    for forge in ("bad_signature", "stale_timestamp", "replay", "unsigned"):
        counterpart.control(
            "POST", "push", json={"MaHoSoQG": "H52.99-251202-0001", "url": url, "forge": forge}
        )
    after = int(time.time())
    (bad, _), (stale, _), (replayed, _), (unsigned, _) = received[1:]
    assert bad["X-DVCQG-Signature"] != expected
    # An hour behind the moment it was sent (a second may pass between two pushes).
    assert before - 3600 <= int(stale["X-DVCQG-Timestamp"]) <= after - 3600
    assert replayed["X-DVCQG-Nonce"] == nonce
    assert "X-DVCQG-Signature" not in unsigned
