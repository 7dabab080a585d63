"""Issue 17's bad legal data, caught before it reaches the counter: ``manage.py check`` (run
by migrate, runserver and the deploy) reads data/legal_bases.json and names, in Vietnamese,
a forms text without its effective date, two texts prescribing forms or dossier codes on one
day, a day with none, a template that does not exist and a date that is no date."""

from copy import deepcopy

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from dossiers import legal
from dossiers.checks import legal_data_problems


def test_the_shipped_data_passes_and_so_does_manage_py_check():
    assert legal_data_problems() == []
    call_command("check", "dossiers")


def shipped():
    return deepcopy(legal.texts())


def test_two_forms_texts_on_one_day_are_named():
    data = shipped()
    data["tt-01-2018"]["until"] = "2025-09-15"  # one day into TT 03/2025
    assert legal_data_problems(data) == [
        "Có 2 văn bản quy định mẫu phiếu cùng có hiệu lực vào ngày 15/09/2025 "
        "(tt-01-2018, tt-03-2025): sửa ngày hiệu lực trong legal_bases.json.",
        "Dữ liệu căn cứ pháp lý sai: ngày 15/09/2025 có hai văn bản cùng quy định mã số hồ sơ "
        "(tt-01-2018, tt-03-2025). Sửa ngày hiệu lực trong legal_bases.json.",
    ]


def test_a_day_without_forms_is_named():
    data = shipped()
    data["tt-01-2018"]["until"] = "2025-09-13"
    assert legal_data_problems(data) == [
        "Không có văn bản quy định mẫu phiếu nào có hiệu lực vào ngày 14/09/2025.",
        "Dữ liệu căn cứ pháp lý thiếu: không có văn bản nào quy định mã số hồ sơ vào ngày "
        "14/09/2025.",
    ]


def test_a_forms_text_without_its_effective_date_is_named():
    data = shipped()
    del data["tt-03-2025"]["in_force"]
    assert legal_data_problems(data) == [
        "Văn bản tt-03-2025 quy định mẫu phiếu nhưng chưa có ngày có hiệu lực (in_force)."
    ]


def test_two_code_shapes_on_one_day_are_named():
    data = shipped()
    data["tt-04-2025"]["rules"]["dossier_code"]["applies_to"] = "all"
    problems = legal_data_problems(data)
    assert problems == [
        "Dữ liệu căn cứ pháp lý sai: ngày 25/01/2026 có hai văn bản cùng quy định mã số hồ sơ "
        "(tt-03-2025, tt-04-2025). Sửa ngày hiệu lực trong legal_bases.json."
    ]


def test_a_missing_template_an_unknown_kind_and_a_bad_date_are_named():
    data = shipped()
    data["tt-03-2025"]["rules"]["forms"]["stop"]["template"] = "tt-03-2025/khong-co.html"
    assert legal_data_problems(data) == [
        "Văn bản tt-03-2025: không có tệp mẫu in tt-03-2025/khong-co.html "
        "(Mẫu 05 · Thông báo dừng giải quyết hồ sơ)."
    ]
    data = shipped()
    data["tt-03-2025"]["rules"]["forms"]["receipt_2"] = {"number": "08"}
    assert legal_data_problems(data) == [
        "Văn bản tt-03-2025 có loại mẫu không biết: ['receipt_2']."
    ]
    data = shipped()
    data["tt-04-2025"]["in_force"] = "25/01/2026"
    assert legal_data_problems(data) == [
        "Văn bản tt-04-2025: ngày '25/01/2026' (in_force) không hợp lệ, phải có dạng YYYY-MM-DD."
    ]


def test_manage_py_check_stops_on_bad_data(monkeypatch):
    data = shipped()
    data["tt-01-2018"]["until"] = "2025-09-13"
    monkeypatch.setattr(legal, "texts", lambda: data)
    with pytest.raises(SystemCheckError) as stopped:
        call_command("check", "dossiers")
    assert "dossiers.E017" in str(stopped.value)
    assert "Không có văn bản quy định mẫu phiếu nào có hiệu lực vào ngày 14/09/2025" in str(
        stopped.value
    )
