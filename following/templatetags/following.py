from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def webcal_url(context, name, pk):
    """The calendar's address with the webcal: scheme: calendar programs open it as a
    subscription (updated by the program) instead of importing the file once."""
    url = context["request"].build_absolute_uri(reverse(name, args=[pk]))
    return "webcal://" + url.split("://", 1)[1]
