"""The province office uploads the national portal's file in the admin: a dry-run preview of
what would change, then a confirm that imports it (services.national_import does the work;
this module is only the two admin steps and their permission check)."""

import base64
import binascii
import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from core.dates import DayField

from .services.catalogue import CatalogueError
from .services.national_import import import_national_file

MAX_BYTES = 1024 * 1024  # a province's catalogue export is far smaller


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp của Cổng DVCQG", help_text="Bản ghi chi tiết (.json) hoặc tệp Excel (.xlsx)."
    )
    effective_from = DayField(
        label="Áp dụng từ ngày",
        required=False,
        help_text="Để trống: hôm nay (bản ghi có ngày hiệu lực riêng thì theo ngày đó).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("Tệp lớn hơn 1 MB: hãy chia nhỏ danh sách thủ tục.")
        return upload


class ConfirmForm(forms.Form):
    name = forms.CharField(widget=forms.HiddenInput)
    content = forms.CharField(widget=forms.HiddenInput)
    sha256 = forms.CharField(widget=forms.HiddenInput)
    effective_from = forms.DateField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        try:
            data["bytes"] = base64.b64decode(data.get("content", ""), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise forms.ValidationError("Tệp đã xem trước bị hỏng: hãy tải lên lại.") from exc
        if hashlib.sha256(data["bytes"]).hexdigest() != data.get("sha256"):
            raise forms.ValidationError("Tệp đã xem trước bị thay đổi: hãy tải lên lại.")
        return data


class NationalImportMixin:
    """Adds «Nhập từ Cổng DVCQG» to the procedure admin (its change list links to it)."""

    change_list_template = "admin/dossiers/procedure/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.national_import_view)
        return [path("nhap-dvcqg/", view, name="dossiers_procedure_national_import")] + (
            super().get_urls()
        )

    def national_import_view(self, request):
        # Creating and changing procedures both: the district (province) office's role has
        # them, a clerk is not even let into the admin.
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.model._meta}
        context["title"] = "Nhập thủ tục từ Cổng Dịch vụ công quốc gia"
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm(request, context)
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            content, day = upload.read(), form.cleaned_data["effective_from"]
            try:
                report = import_national_file(
                    upload.name, content, effective_from=day, dry_run=True, actor=request.user
                )
            except CatalogueError as exc:
                form.add_error("file", f"{exc} Chưa nhập thủ tục nào.")
            else:
                context["report"] = report
                context["confirm"] = ConfirmForm(
                    initial={
                        "name": upload.name,
                        "content": base64.b64encode(content).decode("ascii"),
                        "sha256": hashlib.sha256(content).hexdigest(),
                        "effective_from": day,
                    }
                )
        context["form"] = form
        return TemplateResponse(request, "admin/dossiers/procedure/national_import.html", context)

    def _confirm(self, request, context):
        confirm = ConfirmForm(request.POST)
        if confirm.is_valid():
            data = confirm.cleaned_data
            try:
                report = import_national_file(
                    data["name"],
                    data["bytes"],
                    effective_from=data["effective_from"],
                    actor=request.user,
                    request=request,
                )
            except CatalogueError as exc:
                messages.error(request, f"{exc} Chưa nhập thủ tục nào.")
            else:
                messages.success(request, report.summary())
                return redirect(reverse("admin:dossiers_procedure_changelist"))
        else:
            messages.error(request, " ".join(confirm.non_field_errors()) or "Hãy tải tệp lên lại.")
        context["form"] = UploadForm()
        return TemplateResponse(request, "admin/dossiers/procedure/national_import.html", context)
