from .queries import staff_unit, user_roles


def staff_context(request):
    """The signed-in staff member's unit and roles, for the base layout's header and menu."""
    user = getattr(request, "user", None)
    if user is None:
        return {"staff_unit": None, "staff_roles": set()}
    return {"staff_unit": staff_unit(user), "staff_roles": user_roles(user)}
