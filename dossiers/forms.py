from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

from core.dates import DayField, MomentField

from . import login_backoff
from .models import Field, Procedure, UnitLevel
from .workflow import State


class LoginForm(AuthenticationForm):
    """Django's login form with the counter's Vietnamese wording."""

    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: sai 5 lần liên tiếp "
        "thì tài khoản bị tạm khóa 30 phút.",
        "inactive": "Tài khoản này đã bị vô hiệu hóa. Liên hệ quản trị viên.",
    }

    def clean(self):
        # A username locked across addresses (dossiers/login_backoff.py) is refused before
        # the password is checked, so that its lock cannot be probed with the right one.
        left = login_backoff.locked_for(self.cleaned_data.get("username"))
        if left:
            raise forms.ValidationError(
                f"Tài khoản này đang tạm khóa khoảng {-(-left // 60)} phút vì mật khẩu bị nhập "
                "sai nhiều lần từ nhiều nơi. Vui lòng thử lại sau, hoặc liên hệ quản trị viên.",
                code="username_locked",
            )
        return super().clean()

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["password"].label = "Mật khẩu"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})


class ProcedureFilterForm(forms.Form):
    q = forms.CharField(label="Tìm thủ tục", required=False, max_length=200)
    field = forms.ModelChoiceField(
        label="Lĩnh vực",
        queryset=Field.objects.all(),
        required=False,
        empty_label="Tất cả lĩnh vực",
    )
    level = forms.ModelChoiceField(
        label="Cấp thực hiện",
        queryset=UnitLevel.objects.all(),
        required=False,
        empty_label="Tất cả các cấp",
    )
    online_level = forms.ChoiceField(
        label="Mức trực tuyến",
        required=False,
        choices=[("", "Tất cả")] + list(Procedure.OnlineLevel.choices),
    )
    # What the province office still has to check against the published decision (issue 17).
    verified = forms.ChoiceField(
        label="Đối chiếu nguồn",
        required=False,
        choices=[("", "Tất cả"), ("no", "Chưa xác minh"), ("yes", "Đã xác minh")],
    )


class DossierFilterForm(forms.Form):
    """Filters of the clerk's list; the same fields as the API's."""

    q = forms.CharField(label="Tìm (mã, người nộp, CCCD, thủ tục)", required=False, max_length=100)
    state = forms.ChoiceField(label="Trạng thái", required=False)
    field = forms.ModelChoiceField(
        label="Lĩnh vực", queryset=Field.objects.all(), required=False, empty_label="Tất cả"
    )
    procedure = forms.ModelChoiceField(
        label="Thủ tục",
        queryset=Procedure.objects.filter(is_active=True).only("national_code", "name"),
        required=False,
        empty_label="Tất cả",
        to_field_name="national_code",
    )
    overdue = forms.BooleanField(label="Quá hạn", required=False)
    due_soon = forms.BooleanField(label="Đến hạn trong 2 ngày làm việc", required=False)
    received_from = DayField(label="Nhận từ ngày", required=False)
    received_to = DayField(label="đến ngày", required=False)

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.fields["state"].choices = [("", "Tất cả")] + list(State.choices)

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and end < start:
            self.add_error("received_to", "Ngày kết thúc phải sau ngày bắt đầu.")
        return data


class ApplicantForm(forms.Form):
    kind = forms.ChoiceField(
        label="Người nộp là",
        choices=[("person", "Cá nhân"), ("organisation", "Tổ chức")],
        initial="person",
        widget=forms.RadioSelect,
    )
    id_number = forms.CharField(label="Số CCCD / Mã số thuế", max_length=20)
    name = forms.CharField(label="Họ tên / Tên tổ chức", max_length=200)
    phone = forms.CharField(
        label="Điện thoại",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label="Thư điện tử", required=False)
    address = forms.CharField(label="Địa chỉ", max_length=300, required=False)


class ActionForm(forms.Form):
    reason = forms.CharField(
        label="Lý do / nội dung", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    to_unit = forms.CharField(label="Chuyển đến đơn vị", required=False)
    electronic = forms.BooleanField(label="Bàn giao trên hệ thống", required=False, initial=True)
    paper = forms.BooleanField(label="Bàn giao bằng giấy", required=False)
    # A day alone is an appointment at the counter's closing time of that day.
    new_appointment = MomentField(
        label="Ngày hẹn mới", required=False, default_time=settings.WORKING_HOURS[-1][1]
    )
