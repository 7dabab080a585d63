"""The clerk's lists, the dossier page, its action buttons and its printed forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.dates import parse_day
from core.files import file_response
from core.pages import refusals_go_back

from .. import hooks, legal, public_guard, queries, services
from ..calendar import WorkingCalendar
from ..deadlines import deadline_of, with_deadlines
from ..forms import ActionForm, DossierFilterForm
from ..models import Dossier, Rating, Unit
from ..pagination import CountedPaginator
from ..services.engine import refusal_reason
from ..services.errors import WorkflowError
from ..services.forms import available_forms, open_form, open_register
from ..services.public_access import may_unlock
from ..services.stopping import pending_request
from ..workflow import ACTIONS, STOPPABLE_STATES, State, allowed_actions, may_take
from .base import querystring_without_page

SORTS = {
    "received": ("-received_at", "Mới nhận"),
    "due": ("due_at", "Hạn gần nhất"),
    "due_last": ("-due_at", "Hạn xa nhất"),
    "code": ("code", "Mã hồ sơ"),
}
PAGE_SIZE = 25


def _scoped_or_404(user, code):
    if not queries.CODE_SHAPE.match(code or ""):
        raise Http404("Mã hồ sơ không đúng dạng.")
    try:
        return queries.dossier_detail(user, code)
    except Dossier.DoesNotExist as exc:
        raise Http404("Không tìm thấy hồ sơ trong phạm vi đơn vị của bạn.") from exc


def _list_page(request, listing, *, title, empty, form=None, default_sort="received"):
    counts = listing.counts
    page = CountedPaginator(listing.rows, PAGE_SIZE, listing.total).get_page(
        request.GET.get("page")
    )
    page.object_list = with_deadlines(page.object_list)
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else default_sort
    return render(
        request,
        "dossiers/dossier_list.html",
        {
            "title": title,
            "empty": empty,
            "form": form,
            "page": page,
            "state_counts": [(s, counts.get(s.value, 0)) for s in State if counts.get(s.value)],
            "querystring": querystring_without_page(request),
            "sort_links": _sort_links(request, sort),
            "sort": sort,
            # The days-left column's header sorts by the due day, nearest first, then farthest.
            "deadline_sort": _sort_query(request, "due_last" if sort == "due" else "due"),
            "now": timezone.now(),
        },
    )


def _sort_query(request, key):
    params = request.GET.copy()
    params.pop("page", None)
    params["sort"] = key
    return params.urlencode()


def _sort_links(request, sort):
    """(label, query string, current?) for each way the list can be sorted, filters kept."""
    return [(label, _sort_query(request, key), sort == key) for key, (_, label) in SORTS.items()]


def _ordering(request, default):
    return SORTS.get(request.GET.get("sort"), SORTS[default])[0]


@login_required
def dossier_list(request):
    form = DossierFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    ordering = _ordering(request, "received")
    listing = queries.dossier_list(
        request.user,
        state=filters.get("state", ""),
        procedure=filters.get("procedure"),
        field=filters.get("field"),
        overdue=filters.get("overdue", False),
        due_soon=filters.get("due_soon", False),
        received_from=filters.get("received_from"),
        received_to=filters.get("received_to"),
        text=filters.get("q", ""),
        ordering=ordering,
    )
    empty = "Không có hồ sơ nào khớp điều kiện lọc." if request.GET else "Đơn vị chưa có hồ sơ."
    return _list_page(request, listing, title="Hồ sơ của đơn vị", empty=empty, form=form)


@login_required
def inbox(request):
    return _list_page(
        request,
        queries.inbox(request.user, _ordering(request, "due")),
        title="Hồ sơ liên thông chuyển đến",
        empty="Không có hồ sơ nào do đơn vị khác chuyển đến đang chờ xử lý.",
        default_sort="due",
    )


@login_required
def approval_queue(request):
    return _list_page(
        request,
        queries.approval_queue(request.user, _ordering(request, "due")),
        title="Kết quả chờ lãnh đạo duyệt",
        empty="Không có kết quả nào chờ duyệt.",
        default_sort="due",
    )


@login_required
def dossier_detail(request, code):
    dossier = _scoped_or_404(request.user, code)
    unit = queries.staff_unit(request.user)
    actions = allowed_actions(
        dossier, roles=queries.user_roles(request.user), unit_id=unit and unit.pk
    )
    # Each button names the number its form bears under today's text ("Tiếp nhận (Mẫu 01)").
    today_forms = legal.forms_basis(timezone.localdate()).forms
    actions = [(a, getattr(today_forms.get(a.form), "number", None)) for a in actions]
    area = dossier.receiving_unit.area() or dossier.receiving_unit
    # Grouped by level on the page (optgroup), by rank then name; none chosen by default.
    targets = (
        Unit.objects.filter(path__startswith=area.path)
        .exclude(pk=dossier.current_unit_id)
        .select_related("level")
        .order_by("level__rank", "level__name", "name")
    )
    services.log_access("dossier.view", actor=request.user, target=dossier, request=request)
    rating = Rating.objects.filter(dossier=dossier).first()
    dossier.deadline = deadline_of(dossier, calendar=WorkingCalendar.load())
    lock = public_guard.lock_state(dossier.code)
    return render(
        request,
        "dossiers/dossier_detail.html",
        {
            "dossier": dossier,
            "actions": actions,
            "targets": targets,
            "form": ActionForm(),
            "forms": available_forms(dossier),
            "rating": rating,
            "stop_request": pending_request(dossier) if dossier.state in STOPPABLE_STATES else None,
            "public_lock": lock,
            "public_failures": queries.public_factor_failures(dossier) if lock.failures else None,
            "can_unlock": (lock.failures or lock.locked) and may_unlock(request.user, dossier),
            "panels": [reverse(name, args=[dossier.code]) for name in hooks.DOSSIER_PANELS],
            "can_rate": rating is None
            and dossier.state in (State.RETURNED, State.ARCHIVED)
            and getattr(queries.clerk_unit(request.user), "pk", None) == dossier.return_counter_id,
        },
    )


@login_required
@require_POST
@refusals_go_back("dossier-detail", "code")
def unlock_public_lookup(request, code):
    dossier = _scoped_or_404(request.user, code)
    services.unlock_public_lookup(dossier.pk, actor=request.user, request=request)
    messages.success(request, "Đã mở khóa tra cứu trực tuyến của hồ sơ.")
    return redirect("dossier-detail", code=dossier.code)


@login_required
@require_POST
@refusals_go_back("dossier-detail", "code")
def dossier_action(request, code, action_code=None):
    """The dossier page's one action form (the action chosen in ``action``), or a POST to an
    action's own address. An action the table marks ``confirm`` runs only once confirmed: the
    first POST answers the confirmation page, whose button posts again with ``confirmed``."""
    dossier = _scoped_or_404(request.user, code)
    action_code = action_code or request.POST.get("action", "")
    if not action_code:
        raise services.WorkflowError("Chọn một thao tác trước khi bấm «Thực hiện».")
    if action_code not in ACTIONS:
        raise Http404("Không có thao tác này.")
    action = ACTIONS[action_code]
    posted = _action_inputs(request.POST, action_code)
    if action.confirm and request.POST.get("confirmed") != "1":
        _check_allowed(request.user, dossier, action)
        return render(
            request,
            "dossiers/confirm_action.html",
            {"dossier": dossier, "action": action, "posted": posted},
        )
    form = ActionForm(posted)
    if not form.is_valid() and "new_appointment" in form.errors:
        # A mistyped date is named as such, not as "the new date must be later".
        raise WorkflowError(form.errors["new_appointment"][0], field="new_appointment")
    data = form.cleaned_data
    to_unit = Unit.objects.filter(code=data.get("to_unit") or "").first()
    services.take_action(
        action_code,
        dossier.pk,
        actor=request.user,
        request=request,
        reason=data.get("reason") or "",
        to_unit=to_unit,
        electronic=not data.get("paper"),
        new_appointment=data.get("new_appointment"),
    )
    messages.success(request, f"Đã thực hiện: {action.label}.")
    return redirect("dossier-detail", code=dossier.code)


def _action_inputs(post, code):
    """The chosen action's own fields of the one form (``<code>-reason``…), or the bare
    names a POST to the action's own address uses."""
    names = ("reason", "to_unit", "paper", "new_appointment")
    found = {}
    for name in names:
        value = post.get(f"{code}-{name}", post.get(name))
        if value not in (None, ""):
            found[name] = value
    return found


def _check_allowed(user, dossier, action):
    """Refuse before asking to confirm what the service would refuse anyway."""
    unit = queries.staff_unit(user)
    roles, unit_id = queries.user_roles(user), unit and unit.pk
    if not may_take(action, state=dossier.state, roles=roles, unit_id=unit_id, dossier=dossier):
        raise refusal_reason(action, dossier, roles, unit_id)


@login_required
def dossier_form_pdf(request, code, form_code):
    """A printed form of the dossier, as issued (05 is rendered from the current history)."""
    dossier = _scoped_or_404(request.user, code)
    pdf, name = open_form(dossier, form_code, actor=request.user, request=request)
    return file_response(pdf, content_type="application/pdf", filename=name)


@login_required
@refusals_go_back("dossier-list")
def register_pdf(request):
    """Mẫu 06, the register of the user's unit for the period in ?tu=&den= (YYYY-MM-DD)."""
    first, last = _date(request.GET.get("tu")), _date(request.GET.get("den"))
    pdf, name = open_register(
        queries.staff_unit(request.user), first, last, actor=request.user, request=request
    )
    return file_response(pdf, content_type="application/pdf", filename=name)


def _date(value):
    """A dd/mm/yyyy (or YYYY-MM-DD) date, or None for anything else (30/02 included)."""
    return parse_day(value)
