"""The citizen's PAKN pages: send one (public page, a kiosk of a TTPVHCC, or signed in with
VNeID), follow it by its code and check code, rate the answer; and the public list of answers
both sides agreed to publish, with personal data removed. No page shows a sender's data."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from dossiers import public_identity
from dossiers.models import Unit
from dossiers.queries import units_in_force
from dossiers.views.public import links

from .. import lookup, queries
from ..errors import FeedbackError
from ..models import Feedback
from ..redaction import redacted_texts
from ..rules import answer_working_days, content_limits
from ..services import rate_answer, submit_feedback

FIELDS = ("kind", "content", "ma", "kt", "unit", "sender_name", "sender_phone", "sender_email")


def _units():
    return units_in_force(timezone.localdate()).filter(has_counter=True).only("code", "name")


def _context(request, **extra):
    return {
        "links": links(get_script_prefix()),
        "kinds": Feedback.Kind.choices,
        "max_chars": content_limits()[1],
        "answer_days": answer_working_days(),
        **extra,
    }


def send(request):
    """The public form; the unit is chosen from the list, or found from the dossier's code."""
    return _send(request, channel=Feedback.Channel.WEB, units=_units())


def kiosk(request, unit_code):
    """The form on a kiosk of one TTPVHCC: the unit is that centre unless a dossier is named."""
    unit = get_object_or_404(_units(), code=unit_code)
    return _send(request, channel=Feedback.Channel.KIOSK, units=[unit], kiosk_unit=unit)


def _send(request, *, channel, units, kiosk_unit=None):
    citizen = public_identity.current_citizen(request)
    form = {name: request.POST.get(name, "") for name in FIELDS}
    if citizen and not form["sender_name"]:
        form.update(sender_name=citizen.name, sender_phone=citizen.phone)
        form["sender_email"] = citizen.email
    context = _context(request, form=form, units=units, kiosk_unit=kiosk_unit, citizen=citizen)
    if request.method != "POST":
        context["form"]["ma"] = request.GET.get("ma", "")[:40]
        return render(request, "feedback/send.html", context)
    try:
        lookup.count_submission(request)
        dossier = lookup.dossier_of(request, form["ma"], form["kt"])
        unit = (
            kiosk_unit
            or Unit.objects.filter(pk__in=[u.pk for u in units], code=form["unit"]).first()
        )
        feedback = submit_feedback(
            kind=form["kind"] or Feedback.Kind.COMPLAINT,
            content=request.POST.get("content", ""),
            sender_name=form["sender_name"],
            sender_phone=form["sender_phone"],
            sender_email=form["sender_email"],
            sender_id_number=citizen.id_number if citizen else "",
            publish_agreed=request.POST.get("publish") == "1",
            dossier=dossier,
            unit=unit,
            channel=Feedback.Channel.VNEID if citizen and channel == "web" else channel,
            request=request,
        )
    except FeedbackError as exc:
        context.update(error=exc.message, error_field=exc.field)
        status = 429 if exc.status == 429 else 200
        return render(request, "feedback/send.html", context, status=status)
    status_url = f"{reverse('feedback:status')}?ma={feedback.code}"
    return render(
        request,
        "feedback/sent.html",
        _context(request, feedback=feedback, status_url=status_url, kiosk_unit=kiosk_unit),
    )


def status(request):
    """A PAKN by its code and check code: its content, deadline, answer and rating form."""
    code = (request.POST.get("ma") or request.GET.get("ma", ""))[:24]
    check = (request.POST.get("kt") or request.GET.get("kt", ""))[:8]
    context = _context(request, code=code, scores=Feedback.Score.choices)
    if code and check:
        try:
            context["feedback"] = lookup.feedback_by_code(request, code, check)
            context["check"] = check
        except FeedbackError as exc:
            context["error"] = exc.message
            return render(
                request, "feedback/status.html", context, status=429 if exc.status == 429 else 200
            )
    return render(request, "feedback/status.html", context)


def rate(request):
    """The citizen rates the answer (POST from the status page); once only."""
    if request.method != "POST":
        return status(request)
    context = _context(request, code=request.POST.get("ma", "")[:24])
    context["scores"] = Feedback.Score.choices
    try:
        feedback = lookup.feedback_by_code(request, request.POST.get("ma"), request.POST.get("kt"))
        context.update(feedback=feedback, check=request.POST.get("kt", "")[:8])
        context["feedback"] = rate_answer(
            feedback.pk,
            score=request.POST.get("score"),
            comment=request.POST.get("comment", ""),
            request=request,
        )
        context["thanks"] = True
    except FeedbackError as exc:
        context["error"] = exc.message
    return render(request, "feedback/status.html", context)


PER_PAGE = 20


def public_answers(request):
    """Answers both the citizen and the unit agreed to publish, with personal data removed."""
    page = Paginator(queries.public_answers(), PER_PAGE).get_page(request.GET.get("page"))
    rows = [(f, *redacted_texts(f)) for f in page]
    return render(request, "feedback/public_list.html", _context(request, page=page, rows=rows))
