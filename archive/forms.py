"""Forms of the archive pages, with Vietnamese labels and messages."""

from django import forms

from core.dates import DayField
from dossiers.models import Procedure
from dossiers.services.access import ACCESS_ACTIONS

from .models import ArchiveRecord


class RecordSearchForm(forms.Form):
    q = forms.CharField(
        label="Tìm toàn văn",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "nội dung, tên, số giấy tờ…"}),
    )
    code = forms.CharField(label="Mã hồ sơ", required=False, max_length=48)
    applicant = forms.CharField(label="Người nộp", required=False, max_length=200)
    procedure = forms.ModelChoiceField(
        label="Thủ tục",
        required=False,
        queryset=Procedure.objects.order_by("name"),
        empty_label="Tất cả thủ tục",
        error_messages={"invalid_choice": "Thủ tục không có trong danh mục."},
    )
    returned_from = DayField(label="Trả kết quả từ ngày", required=False)
    returned_to = DayField(label="đến ngày", required=False)
    state = forms.ChoiceField(
        label="Trạng thái", required=False, choices=[("", "Tất cả"), *ArchiveRecord.State.choices]
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("returned_from"), data.get("returned_to")
        if start and end and end < start:
            self.add_error("returned_to", "Ngày kết thúc phải sau ngày bắt đầu.")
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Lý do truy cập",
        max_length=500,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Cần ghi rõ lý do truy cập.",
            "min_length": "Lý do quá ngắn (ít nhất 5 ký tự).",
        },
    )


class ProposeForm(forms.Form):
    records = forms.TypedMultipleChoiceField(
        coerce=int,
        choices=[],
        error_messages={
            "required": "Chọn ít nhất một hồ sơ hết hạn lưu trữ để đề nghị hủy.",
            "invalid_choice": "Hồ sơ đã chọn không còn trong danh sách hết hạn.",
        },
    )
    note = forms.CharField(
        label="Lý do, căn cứ đề nghị hủy",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Cần ghi lý do, căn cứ đề nghị hủy."},
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["records"].choices = [(pk, pk) for pk in choices]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Duyệt"), ("reject", "Không duyệt")])
    note = forms.CharField(
        label="Ý kiến (bắt buộc khi không duyệt)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AccessLogForm(forms.Form):
    actor = forms.CharField(label="Người truy cập", required=False, max_length=150)
    code = forms.CharField(label="Mã hồ sơ", required=False, max_length=48)
    action = forms.ChoiceField(
        label="Hành động",
        required=False,
        choices=[("", "Tất cả"), *ACCESS_ACTIONS.items()],
    )
    date_from = DayField(label="Từ ngày", required=False)
    date_to = DayField(label="đến ngày", required=False)
    outside_only = forms.BooleanField(label="Chỉ truy cập có nêu lý do", required=False)
