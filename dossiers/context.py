from django.urls import get_script_prefix

from . import public_identity
from .queries import staff_unit, user_roles
from .views.public import links


def staff_context(request):
    """The signed-in staff member's unit and roles, for the base layout's header and menu."""
    user = getattr(request, "user", None)
    if user is None:
        return {"staff_unit": None, "staff_roles": set()}
    return {"staff_unit": staff_unit(user), "staff_roles": user_roles(user)}


def public_links(request):
    """The addresses the public base layout links to (public/_base.html's menu), for the
    public pages rendered with a request (online submission, supplements, stop requests)."""
    return {"links": links(get_script_prefix())}


def public_citizen(request):
    """The signed-in citizen (or the ways to sign in) for the public layout's header."""
    citizen = public_identity.current_citizen(request)
    if citizen is not None:
        return {"citizen": citizen, "citizen_sign_out": public_identity.sign_out_url(citizen)}
    return {"citizen": None, "citizen_sign_in": public_identity.sign_in_links()}
