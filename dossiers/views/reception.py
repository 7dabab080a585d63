"""The reception screen: pick the procedure by typing, find the applicant by ID, tick the
components received, see the appointment, save — then print the receipt."""

import re
import uuid

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from .. import hooks, queries, services
from ..calendar import due_for_procedure
from ..forms import ApplicantForm
from ..models import Applicant, Channel, Procedure, Unit
from ..services.reception import applicant_problems, check_components, waived_components


def _counter_unit(user):
    unit = queries.clerk_unit(user)
    return unit if unit is not None and unit.has_counter else None


def _procedures_for(unit, text):
    """Procedures this counter may receive: any of the province's since Nghị định 118/2025,
    before it those handled in its area or boundary-free (services.check_unit_receives)."""
    qs = queries.procedure_catalogue(text=text)
    today = timezone.localdate()
    area = unit.province_path if queries.province_wide(today) else (unit.area() or unit).path
    qs = qs.filter(Q(handling_units__path__startswith=area) | Q(boundary_free=True))
    return qs.distinct()[:15]


@login_required
def procedure_search(request):
    """htmx partial: procedures matching what the clerk typed (diacritics not needed)."""
    unit = _counter_unit(request.user)
    text = request.GET.get("q", "").strip()
    results = _procedures_for(unit, text) if unit and text else []
    return render(request, "dossiers/_procedure_results.html", {"results": results, "q": text})


@login_required
def applicant_lookup(request):
    """htmx partial: the applicant's details when the ID number is already known."""
    if _counter_unit(request.user) is None:
        return render(request, "dossiers/_applicant_found.html", {"applicant": None})
    id_number = hooks.panel_fields(request).get("id_number", "").strip()
    applicant = _known_applicant(id_number)
    if applicant:
        services.log_access(
            "applicant.lookup", actor=request.user, target=applicant, request=request
        )
    return render(
        request, "dossiers/_applicant_found.html", {"applicant": applicant, "id_number": id_number}
    )


@login_required
def reception(request):
    unit = _counter_unit(request.user)
    if unit is None:
        return render(request, "dossiers/reception.html", {"not_clerk": True}, status=403)
    code = request.POST.get("procedure") or request.GET.get("thu_tuc")
    if code and not re.fullmatch(r"\d{1,2}\.\d{6}", code):
        code = "invalid"
    procedure = (
        Procedure.objects.filter(national_code=code, is_active=True)
        .prefetch_related("components")
        .first()
        if code
        else None
    )
    if procedure is None:
        text = request.GET.get("q", "").strip()
        results = _procedures_for(unit, text) if text else []
        context = {"q": text, "results": results, "unknown": bool(code)}
        return render(request, "dossiers/reception.html", context)
    components = list(procedure.components.all())
    error = components_error = None
    found = None
    form = ApplicantForm(request.POST or None)
    # Nothing is ticked that the clerk did not tick: a paper is received when it is handed in.
    ticked = {c.pk for c in components if request.POST.get(f"c{c.pk}")}
    if request.method == "POST" and "lookup" in request.POST:
        # «Tìm người nộp» (Enter in the ID field without JavaScript): the known details fill the
        # empty fields, nothing is validated yet.
        form, found = _looked_up(request)
    elif request.method == "POST":
        received = [
            services.ReceivedComponent(c.pk, _copies(request.POST.get(f"n{c.pk}"), c.copies))
            for c in components
            if c.pk in ticked
        ]
        components_error = _problems(form, procedure, received, request)
        if form.is_valid() and components_error is None:
            try:
                competent, collect = _chosen_units(request.POST)
                dossier = services.receive_dossier(
                    actor=request.user,
                    procedure=procedure,
                    applicant=form.cleaned_data,
                    components=received,
                    idempotency_key=request.POST.get("idempotency_key"),
                    note=request.POST.get("note", ""),
                    request=request,
                    form_data=request.POST,
                    competent_unit=competent,
                    return_unit=collect,
                    # The papers came by the public postal service (QĐ 45/2016/QĐ-TTg).
                    channel=Channel.POST
                    if request.POST.get("channel") == Channel.POST
                    else Channel.DIRECT,
                )
            except services.WorkflowError as exc:
                error = exc.message
                if exc.field in form.fields:
                    form.add_error(exc.field, exc.message)
                    error = None
                elif exc.field == "components":
                    components_error, error = exc.message, None
            else:
                return redirect(reverse("dossier-detail", args=[dossier.code]) + "?moi=1")
    return render(
        request,
        "dossiers/reception.html",
        {
            "procedure": procedure,
            "components": components,
            "ticked": ticked,
            "form": form,
            "error": error,
            "components_error": components_error,
            "summary": _error_summary(form, components_error, components),
            "applicant": found,
            "id_number": request.POST.get("id_number", "").strip() if found is False else "",
            "appointment": due_for_procedure(procedure, timezone.now()),
            "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
            "panels": [reverse(name) for name in hooks.RECEPTION_PANELS],
            "panels_once": [reverse(name) for name in hooks.RECEPTION_PANELS_ONCE],
            "applicant_panels": [reverse(name) for name in hooks.RECEPTION_APPLICANT_PANELS],
            **_province_wide_choices(procedure, unit, request.POST),
        },
    )


def _looked_up(request):
    """An unbound form showing what was typed, its empty fields filled from the applicant
    known by that ID number (None when unknown)."""
    typed = {name: request.POST.get(name, "") for name in ApplicantForm.base_fields}
    applicant = _known_applicant(typed["id_number"].strip())
    if applicant:
        services.log_access(
            "applicant.lookup", actor=request.user, target=applicant, request=request
        )
        for name in ("name", "phone", "address", "email", "kind"):
            typed[name] = typed[name] or getattr(applicant, name)
    # False (not None) says «looked up, unknown» to the page.
    return ApplicantForm(initial=typed), applicant or False


def _known_applicant(id_number):
    valid = re.fullmatch(r"[0-9-]{9,20}", id_number) is not None
    return Applicant.objects.filter(id_number=id_number).first() if valid else None


def _problems(form, procedure, received, request):
    """Every problem of the posted reception in one round: the form's own field errors, the
    applicant's details as the service checks them (services.applicant_problems), and the
    components' (returned: the message for the checklist, or None)."""
    form.is_valid()  # every field's own validation, all at once
    raw = {name: (request.POST.get(name) or "").strip() for name in ApplicantForm.base_fields}
    for field, messages in applicant_problems(raw).items():
        if field not in form.fields:
            form.add_error(None, messages[0])
        elif field not in form.errors:
            form.add_error(field, messages[0])
    waived = waived_components(procedure, actor=request.user, data=request.POST)
    try:
        check_components(procedure, received, waived)
    except services.WorkflowError as exc:
        return exc.message
    return None


def _error_summary(form, components_error, components):
    """(anchor, label, message) for each error, in the form's order, for the summary on top."""
    rows = [("", "", error) for error in form.non_field_errors()]
    rows += [
        (f"id_{name}", form.fields[name].label, error)
        for name in form.fields
        for error in form.errors.get(name, [])
    ]
    if components_error and components:
        rows.append((f"c{components[0].pk}", "Thành phần hồ sơ", components_error))
    return rows


def _province_wide_choices(procedure, unit, posted):
    """The two choices of a province-wide reception: who resolves it, where it is returned."""
    today = timezone.localdate()
    if not queries.province_wide(today):
        return {}
    return {
        "competent_choices": list(queries.competent_units(procedure, today)),
        "return_choices": [u for u in queries.units_in_force(today) if u.has_counter],
        "counter": unit,
        "chosen_competent": posted.get("competent_unit", ""),
        "chosen_return": posted.get("return_unit", unit.code),
    }


def _chosen_units(posted):
    """The units named by the form's two selects (None when left at their default)."""
    chosen = []
    for name in ("competent_unit", "return_unit"):
        code = (posted.get(name) or "").strip()
        unit = Unit.objects.filter(code=code).first() if code else None
        if code and unit is None:
            raise services.WorkflowError("Đơn vị đã chọn không có trong danh mục.", field=name)
        chosen.append(unit)
    return chosen


def _copies(value, default):
    try:
        return max(1, min(int(value), 99))
    except (TypeError, ValueError):
        return default
