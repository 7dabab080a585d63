"""Forms of the citizen's online pages: the submission (applicant, counter, one file field
per component of the procedure) and the answer to a request for supplements."""

from django import forms

from dossiers.forms import ApplicantForm


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (a component scanned as several pages or photos)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        files = [super(MultipleFileField, self).clean(f, initial) for f in files if f]
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


ACCEPT = "application/pdf,image/jpeg,image/png,image/tiff"


def component_field(name):
    return f"thanh_phan_{name}"


class OnlineSubmissionForm(ApplicantForm):
    unit = forms.ChoiceField(label="Nộp hồ sơ đến")
    pledge = forms.BooleanField(
        label="Tôi cam đoan các thông tin kê khai và giấy tờ tải lên là đúng sự thật.",
        error_messages={"required": "Xin đánh dấu lời cam đoan trước khi nộp."},
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, procedure, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.fields["unit"].choices = [(u.code, u.name) for u in units]
        if len(units) == 1:
            self.fields["unit"].initial = units[0].code
        # A phone brings up its number pad for numbers (an organisation's tax code is digits
        # and a dash, which the pad has).
        self.fields["id_number"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="tel")
        self.fields["email"].widget.attrs.update(inputmode="email", autocomplete="email")
        self.components = list(procedure.components.all())
        for component in self.components:
            self.fields[component_field(component.pk)] = MultipleFileField(
                label=component.name,
                required=component.required,
                error_messages={"required": "Chưa tải lên giấy tờ bắt buộc này."},
                widget=MultipleFileInput(attrs={"accept": ACCEPT}),
            )

    def applicant_fields(self):
        return [self[name] for name in ("id_number", "name", "phone", "email", "address")]

    # {component id: [DraftFile]}: the files a draft keeps (the view sets it).
    kept: dict = {}

    def component_rows(self):
        """(component, its bound file field, the files kept for it) for the template."""
        return [(c, self[component_field(c.pk)], self.kept.get(c.pk, [])) for c in self.components]

    def files_by_component(self) -> dict:
        return {c.pk: self.cleaned_data.get(component_field(c.pk)) or [] for c in self.components}


class SupplementForm(forms.Form):
    note = forms.CharField(
        label="Ghi chú cho cán bộ (không bắt buộc)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.parts = list(dossier.components.all())
        for part in self.parts:
            self.fields[component_field(part.pk)] = MultipleFileField(
                label=part.name, required=False, widget=MultipleFileInput(attrs={"accept": ACCEPT})
            )
        self.fields[component_field(0)] = MultipleFileField(
            label="Giấy tờ khác, ngoài danh sách trên",
            required=False,
            widget=MultipleFileInput(attrs={"accept": ACCEPT}),
        )

    def component_rows(self):
        return [(part, self[component_field(part.pk)]) for part in self.parts] + [
            (None, self[component_field(0)])
        ]

    def files_by_component(self) -> dict:
        keys = [part.pk for part in self.parts] + [0]
        return {key: self.cleaned_data.get(component_field(key)) or [] for key in keys}
