"""CSDLQG về dân cư over HTTPS (through the data-sharing platform NDXP/LGSP): one POST per
look-up with ``MaYeuCau, MaDVC, MaTichHop, MaDonVi, MaCanBo, SoDinhDanh, HoVaTen,
NgayThangNamSinh`` in the JSON body — never in the URL — and the person's record back when
the three match (integrations/data/population.json says which names were verified where).

Time-outs on every call; the province's token (``Authorization: Bearer``) or mutual TLS as
configuration; a circuit breaker shared by the processes stops asking a database that keeps
failing. Nothing is retried here: the clerk sees the fault and goes on by hand."""

import uuid
from functools import cache

import httpx
import pybreaker
from django.conf import settings

from ..platforms import (
    NotConfiguredError,
    PersonMismatchError,
    PersonNotFoundError,
    PopulationRecord,
    RejectedError,
    TransientError,
)
from .circuit import circuit_breaker, http_client

SERVICE = "TraCuuThongTinCongDan"
# The answer's MaLoi (unverified, see the data file): 0 match, 1 unknown number, 2 mismatch.
FOUND, NOT_FOUND, MISMATCH = 0, 1, 2
SEX = {"1": "Nam", "2": "Nữ"}
NOT_CONNECTED = (
    "Chưa kết nối CSDLQG về dân cư (chưa cấu hình POPULATION_BASE_URL): kiểm tra giấy tờ "
    "của người nộp và tiếp nhận như bình thường."
)
SILENT = "CSDLQG về dân cư không phản hồi"
NOT_FOUND_TEXT = "Không tìm thấy số định danh cá nhân này trong CSDLQG về dân cư."
FIELD_NAMES = {"HoVaTen": "họ và tên", "NgayThangNamSinh": "ngày tháng năm sinh"}


@cache
def breaker() -> pybreaker.CircuitBreaker:
    """One breaker per process (a mismatch or an unknown number is an answer, not a fault)."""
    return circuit_breaker(
        "population",
        fail_max=settings.POPULATION_BREAKER_FAILURES,
        reset_timeout=settings.POPULATION_BREAKER_RESET_SECONDS,
        exclude=[RejectedError],
    )


class PopulationClient:
    """The adapter of :class:`integrations.platforms.PopulationRegistry`."""

    def __init__(self, base_url=None):
        url = base_url if base_url is not None else settings.POPULATION_BASE_URL
        self.base_url = url.rstrip("/")
        self._http = None

    def http(self) -> httpx.Client:
        if self._http is None:
            token = settings.POPULATION_TOKEN
            self._http = http_client(
                timeout=settings.POPULATION_TIMEOUT_SECONDS,
                client_cert=settings.POPULATION_CLIENT_CERT,
                client_key=settings.POPULATION_CLIENT_KEY,
                ca_bundle=settings.POPULATION_CA_BUNDLE,
                headers={"Authorization": f"Bearer {token}"} if token else None,
            )
        return self._http

    def look_up(self, *, id_number, full_name, birth_date, officer, procedure):
        if not self.base_url:
            raise NotConfiguredError(NOT_CONNECTED)
        body = {
            "MaYeuCau": uuid.uuid4().hex,
            "MaDVC": procedure or "",
            "MaTichHop": settings.POPULATION_INTEGRATION_CODE,
            "MaDonVi": settings.POPULATION_UNIT_CODE,
            "MaCanBo": officer,
            "SoDinhDanh": id_number,
            "HoVaTen": full_name,
            "NgayThangNamSinh": birth_date,
        }
        try:
            return breaker().call(self._ask, body)
        except pybreaker.CircuitBreakerError as exc:
            raise TransientError(
                f"{SILENT} nhiều lần liên tiếp: tạm ngừng tra cứu "
                f"{settings.POPULATION_BREAKER_RESET_SECONDS:.0f} giây."
            ) from exc

    def _ask(self, body) -> PopulationRecord:
        try:
            response = self.http().post(f"{self.base_url}/{SERVICE}", json=body)
        except httpx.TimeoutException as exc:
            raise TransientError(f"{SILENT} trong thời hạn chờ.") from exc
        except httpx.TransportError as exc:
            raise TransientError(f"{SILENT} (không kết nối được).") from exc
        if response.status_code in (401, 403):
            raise TransientError(
                "CSDLQG về dân cư từ chối mã truy cập của tỉnh: kiểm tra POPULATION_TOKEN."
            )
        if response.status_code >= 500 or response.status_code == 429:
            raise TransientError(f"{SILENT} (lỗi máy chủ HTTP {response.status_code}).")
        try:
            answer = response.json()
        except ValueError as exc:
            raise TransientError(f"{SILENT} đúng khuôn dạng.") from exc
        if not isinstance(answer, dict):
            raise TransientError(f"{SILENT} đúng khuôn dạng.")
        return _read(answer)

    def close(self):
        if self._http is not None:
            self._http.close()
            self._http = None


def _read(answer: dict) -> PopulationRecord:
    code = answer.get("MaLoi")
    if code == NOT_FOUND:
        raise PersonNotFoundError(NOT_FOUND_TEXT, answer=answer)
    if code == MISMATCH:
        fields = [f for f in answer.get("TruongKhongKhop") or [] if f in FIELD_NAMES]
        named = " và ".join(FIELD_NAMES[f] for f in fields) or "thông tin đã nhập"
        raise PersonMismatchError(
            f"Số định danh có trong CSDLQG về dân cư nhưng {named} không khớp: đối chiếu lại "
            "với giấy tờ của người nộp.",
            fields=fields,
            answer=answer,
        )
    person = answer.get("CongDan")
    if code != FOUND or not isinstance(person, dict):
        raise RejectedError(
            f"CSDLQG về dân cư trả lời: {answer.get('MoTaLoi') or 'không rõ kết quả'}.",
            answer=answer,
        )
    name = person.get("HoVaTen") or {}
    if isinstance(name, dict):
        name = " ".join(str(name.get(k) or "").strip() for k in ("Ho", "ChuDem", "Ten"))
    return PopulationRecord(
        id_number=str(person.get("SoDinhDanh") or ""),
        full_name=" ".join(str(name).split()),
        birth_date=str(person.get("NgayThangNamSinh") or ""),
        sex=SEX.get(str(person.get("GioiTinh")), ""),
        ethnicity=str(person.get("DanToc") or ""),
        permanent_address=_address(person.get("ThuongTru")),
        current_address=_address(person.get("NoiOHienTai")),
        answer=answer,
    )


def _address(value) -> str:
    if isinstance(value, dict):
        return str(value.get("ChiTiet") or "").strip()
    return str(value or "").strip()


@cache
def registry() -> PopulationClient:
    """The process's client (its connection pool reused)."""
    return PopulationClient()
