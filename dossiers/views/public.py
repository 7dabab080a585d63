"""The public status page: no login, no JavaScript, light enough for a cheap phone on a slow
connection. Shows a dossier only to whoever holds its code and a second factor, and never
the applicant's ID number, address, phone or documents, nor staff names."""

from django.http import HttpResponse
from django.template import engines

from .. import queries
from ..middleware import lean_public_page
from ..ratelimit import TOO_MANY, LookupCount

NOT_FOUND = (
    "Không tìm thấy hồ sơ với mã và thông tin xác nhận đã nhập. Kiểm tra lại mã hồ sơ và mã "
    "tra cứu in trên Giấy tiếp nhận (hoặc 4 số cuối điện thoại đã đăng ký)."
)


@lean_public_page
def status(request):
    code, factor = request.GET.get("ma", ""), request.GET.get("kt", "")
    context = {"code": code[:40], "factor": ""}
    status_code = 200
    if code or factor:
        with LookupCount(request) as counted:
            # The database answers while Redis counts; over the limit, nothing of it is shown.
            dossier = queries.public_status(code, factor)
        if counted.over_limit():
            context["error"], status_code = TOO_MANY, 429
        elif dossier is None:
            context["error"] = NOT_FOUND
        else:
            context["dossier"] = dossier
    # Jinja2, without the request: the page uses no context processor (dossiers/jinja_env.py).
    page = engines["jinja2"].get_template("public/status.html").render(context)
    return HttpResponse(page, status=status_code)
