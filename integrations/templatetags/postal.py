"""``{% postal_communes as communes %}``: today's communes and wards for the address select of
the postal choice (the reception panel and the online form share one template)."""

from django import template

from .. import postal

register = template.Library()


@register.simple_tag
def postal_communes():
    return list(postal.communes_today())
