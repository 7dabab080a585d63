"""The indicators of domain.md (Indicators) as a registry: code, Vietnamese name, unit, which
way is better. How each is measured lives in ``measures.py``; their targets are rows of
``Target`` (Plan 141, edited by the district office)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str  # "%", "phút", "hồ sơ/người"
    higher_is_better: bool = True
    definition: str = ""


INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in [
        Indicator(
            code="on_time",
            name="Tỷ lệ giải quyết đúng hạn",
            unit="%",
            definition="(trước hạn + đúng hạn) / đã giải quyết trong kỳ",
        ),
        Indicator(
            code="online",
            name="Tỷ lệ hồ sơ trực tuyến",
            unit="%",
            definition="tiếp nhận trực tuyến / tổng tiếp nhận trong kỳ",
        ),
        Indicator(
            code="result_digitization",
            name="Tỷ lệ số hóa kết quả",
            unit="%",
            definition="đã giải quyết có kết quả được số hóa và ký số / đã giải quyết",
        ),
        Indicator(
            code="dossier_digitization",
            name="Tỷ lệ số hóa hồ sơ",
            unit="%",
            definition="tiếp nhận có mọi thành phần giấy được số hóa / tổng tiếp nhận",
        ),
        Indicator(
            code="reuse",
            name="Tỷ lệ tái sử dụng dữ liệu",
            unit="%",
            definition="không phải nộp lại giấy tờ đã có trong kho / có giấy tờ dùng lại",
        ),
        Indicator(
            code="electronic_transfer",
            name="Tỷ lệ luân chuyển điện tử",
            unit="%",
            definition="bàn giao liên thông qua hệ thống / tổng bàn giao liên thông",
        ),
        Indicator(
            code="satisfaction",
            name="Mức độ hài lòng",
            unit="%",
            definition="(rất hài lòng + hài lòng) / tổng đánh giá trong kỳ",
        ),
        Indicator(
            code="waiting_time",
            name="Thời gian chờ trung bình",
            unit="phút",
            higher_is_better=False,
            definition="trung bình từ lúc lấy số đến lúc được gọi",
        ),
        Indicator(
            code="productivity",
            name="Năng suất tiếp nhận",
            unit="hồ sơ/người",
            definition="hồ sơ tiếp nhận / cán bộ Một cửa, quy theo năm",
        ),
    ]
}
