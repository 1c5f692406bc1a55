from django import template
from django.utils.html import format_html

from accounts import contact

register = template.Library()


@register.simple_tag
def contact_link():
    """A mailto link to the portal's contact address, wherever a page says "write to us"."""
    email = contact.address()
    return format_html('<a href="mailto:{}">{}</a>', email, email)
