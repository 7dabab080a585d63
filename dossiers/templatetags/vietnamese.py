"""Vietnamese ways of writing in templates: ``{% day_input id name %}`` (the dd/mm/yyyy input
of core/dates.py in a hand-written form, so that pages without a Django form draw the same
widget as the forms do) and ``{{ user|full_name }}`` (family name first)."""

from django import template

from core.dates import DayInput

from .. import text

register = template.Library()


@register.simple_tag
def day_input(id, name, value="", required=False, with_time=False):
    attrs = {"id": id, **({"required": True} if required else {})}
    return DayInput(with_time=with_time).render(name, value or None, attrs=attrs)


@register.filter
def full_name(user):
    return text.full_name(user)
