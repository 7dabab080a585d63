"""The counterpart VNeID's login page: identity number and password (the real VNeID asks for
the same two on the web, then a code on the phone, which the counterpart leaves out)."""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm


class CitizenLoginForm(AuthenticationForm):
    username = forms.CharField(
        label="Số định danh cá nhân",
        max_length=12,
        widget=forms.TextInput(
            attrs={"autofocus": True, "inputmode": "numeric", "autocomplete": "username"}
        ),
    )
    password = forms.CharField(
        label="Mật khẩu",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "Số định danh cá nhân hoặc mật khẩu không đúng.",
        "inactive": "Tài khoản định danh điện tử này đang bị khóa.",
    }


class CitizenLoginView(auth_views.LoginView):
    form_class = CitizenLoginForm
    template_name = "vneid/login.html"
