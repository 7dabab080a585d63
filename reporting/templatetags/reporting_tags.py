from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``cells|get_item:code``: a report cell by its column code."""
    return mapping.get(key, 0) if mapping else 0


@register.filter
def percent(value):
    return "—" if value is None else f"{value:.1f}%".replace(".", ",")
