from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .models import Field, Procedure, UnitLevel


class LoginForm(AuthenticationForm):
    """Django's login form with the counter's Vietnamese wording."""

    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: sai 5 lần liên tiếp "
        "thì tài khoản bị tạm khóa 30 phút.",
        "inactive": "Tài khoản này đã bị vô hiệu hóa. Liên hệ quản trị viên.",
    }

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
