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
        Indicator("on_time", "Tỷ lệ giải quyết đúng hạn", "%",
                  definition="(trước hạn + đúng hạn) / đã giải quyết trong kỳ"),
        Indicator("online", "Tỷ lệ hồ sơ trực tuyến", "%",
                  definition="tiếp nhận trực tuyến / tổng tiếp nhận trong kỳ"),
        Indicator("result_digitization", "Tỷ lệ số hóa kết quả", "%",
                  definition="đã giải quyết có kết quả được số hóa và ký số / đã giải quyết"),
        Indicator("dossier_digitization", "Tỷ lệ số hóa hồ sơ", "%",
                  definition="tiếp nhận có mọi thành phần giấy được số hóa / tổng tiếp nhận"),
        Indicator("reuse", "Tỷ lệ tái sử dụng dữ liệu", "%",
                  definition="không phải nộp lại giấy tờ đã có trong kho / có giấy tờ dùng lại"),
        Indicator("electronic_transfer", "Tỷ lệ luân chuyển điện tử", "%",
                  definition="bàn giao liên thông qua hệ thống / tổng bàn giao liên thông"),
        Indicator("satisfaction", "Mức độ hài lòng", "%",
                  definition="(rất hài lòng + hài lòng) / tổng đánh giá trong kỳ"),
        Indicator("waiting_time", "Thời gian chờ trung bình", "phút", higher_is_better=False,
                  definition="trung bình từ lúc lấy số đến lúc được gọi"),
        Indicator("productivity", "Năng suất tiếp nhận", "hồ sơ/người",
                  definition="hồ sơ tiếp nhận / cán bộ Một cửa, quy theo năm"),
    ]
}  # fmt: skip
