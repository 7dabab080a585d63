from .queries import staff_unit


def staff_context(request):
    """The signed-in staff member's unit, for the base layout's header."""
    user = getattr(request, "user", None)
    return {"staff_unit": staff_unit(user) if user is not None else None}
