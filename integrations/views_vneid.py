"""The public site's VNeID login: start (a link in the header), the provider's callback, and
signing out. Thin: integrations/vneid.py speaks OpenID Connect, dossiers.public_identity keeps
the signed-in citizen. Every refusal is a Vietnamese page with its status, never a 500."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from dossiers import public_identity

from . import vneid
from .population_receivers import BIRTHDATE_KEY

TEMPLATE = "integrations/vneid/error.html"
TITLES = {
    400: "Chưa đăng nhập được",
    404: "Chưa có đăng nhập bằng VNeID",
    503: "VNeID tạm thời không phản hồi",
}


def _refused(request, exc: vneid.VneidError):
    context = {"title": TITLES.get(exc.status, TITLES[400]), "message": exc.message}
    return render(request, TEMPLATE, context, status=exc.status)


def _callback_url(request):
    """The callback VNeID sends the citizen back to: VNEID_REDIRECT_URI when set (behind a
    proxy, the address registered with the provider), else this site's own address."""
    return settings.VNEID_REDIRECT_URI or request.build_absolute_uri(reverse("vneid-callback"))


@require_GET
def sign_in(request):
    try:
        return vneid.start(request, _callback_url(request))
    except vneid.VneidError as exc:
        return _refused(request, exc)


@require_GET
def callback(request):
    try:
        identity = vneid.finish(request)
    except vneid.VneidError as exc:
        return _refused(request, exc)
    try:
        public_identity.sign_in(
            request,
            id_number=identity.id_number,
            name=identity.name,
            phone=identity.phone,
            email=identity.email,
            address=identity.address,
            provider=vneid.NAME,
        )
    except public_identity.NotAnIdentityError:
        return _refused(request, vneid.VneidError(vneid.NO_IDENTITY))
    # For the check against CSDLQG về dân cư when the citizen submits online.
    request.session[BIRTHDATE_KEY] = identity.birthdate
    return redirect("my-dossiers")


@require_http_methods(["GET", "POST"])
def sign_out(request):
    """POST signs out (the header's button, CSRF-checked); a GET (the address typed or a link
    followed) asks first, so no other site can sign the citizen out with a link."""
    if request.method == "GET":
        return render(request, "integrations/vneid/sign_out.html")
    public_identity.sign_out(request)
    return redirect("public-status")
