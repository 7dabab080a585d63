"""The one conversion of a refusal (:class:`core.errors.PortalError`) into a page; the API's is
bacyen_portal/api_errors.py.

- A button that posts an action goes back to the page it was pressed on, with the refusal as
  the page's error message: decorate the view with :func:`refusals_go_back`.
- Any other refusal a view lets through becomes the error page with the error's status
  (:class:`RefusalMiddleware`, last in MIDDLEWARE); a page with its own layout for errors (the
  reports) draws it with :func:`refusal_page` and its template.
- A form that redraws itself with the error beside the field is the one place a view catches a
  refusal: binding it to the field is the form's job, not a conversion.
"""

from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import PortalError

TITLES = {
    400: "Yêu cầu chưa hợp lệ",
    403: "Không có quyền thực hiện",
    404: "Không tìm thấy",
    409: "Chưa thực hiện được",
    429: "Quá nhiều lần thử",
}


def refusal_page(request, exc, template="error.html", **context):
    """The page that says why: its title from the status, the error's message."""
    title = context.pop("title", None) or TITLES.get(exc.status, TITLES[400])
    context = {"title": title, "message": exc.message, **context}
    return render(request, template, context, status=exc.status)


def refusals_go_back(url_name, *kwarg_names):
    """For an action view: a refusal redirects to ``url_name`` (reversed with the view's
    keyword arguments named in ``kwarg_names``), or to the posted ``back`` address when it is
    a page of this site, with the refusal as an error message."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except PortalError as exc:
                messages.error(request, exc.message)
                back = request.POST.get("back", "")
                if back and url_has_allowed_host_and_scheme(back, allowed_hosts=None):
                    return redirect(back)
                return redirect(url_name, **{name: kwargs[name] for name in kwarg_names})

        return wrapper

    return decorate


class RefusalMiddleware:
    """A refusal no view handled is the error page with its status, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        if isinstance(exc, PortalError):
            return refusal_page(request, exc)
        return None
