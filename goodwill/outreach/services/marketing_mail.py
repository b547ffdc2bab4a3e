"""What every marketing email carries so that leaving is one click: the list headers (RFC 2369
``List-Unsubscribe`` with an HTTPS URL and a mailto, RFC 8058 one-click ``List-Unsubscribe-Post``,
RFC 2919 ``List-Id``) and a footer with a visible unsubscribe link, the preference page, and the
business's name, postal address and another way to reach it.

The mailto goes to ``unsubscribe@<site domain>`` with the token in the subject; reading that
mailbox and acting on it is the mail server's job (most mailbox providers use the HTTPS URL).
"""

from __future__ import annotations

import re
from email.utils import formataddr

from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from goodwill.accounts.models import Business
from goodwill.accounts.services import business_get
from goodwill.outreach.models_consent import Topic
from goodwill.outreach.services.outbox import site_domain
from goodwill.outreach.services.preferences import preferences_url, unsubscribe_url

ONE_CLICK = "List-Unsubscribe=One-Click"
_NOT_DNS = re.compile(r"[^a-z0-9]+")
_BREAKS = re.compile(r"[\r\n]+")


def _one_line(text: str) -> str:
    """``text`` on one line: a header or footer value never carries CR or LF."""
    return " ".join(_BREAKS.sub(" ", text).split())


def list_label(topic: Topic | None) -> str:
    """The topic's key as a DNS label (letters, digits, hyphens; at most 63 characters)."""
    key = _NOT_DNS.sub("-", (topic.key if topic is not None else "").lower()).strip("-")
    return key[:63].strip("-") or "all"


def marketing_headers(*, token: str, topic: Topic | None) -> dict[str, str]:
    """The list headers of one marketing message; every value is a single line of ASCII."""
    domain = site_domain()
    mailto = f"mailto:unsubscribe@{domain}?subject=unsubscribe%20{token}"
    name = _one_line(topic.name if topic is not None else _("Everything"))
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(token)}>, <{mailto}>",
        "List-Unsubscribe-Post": ONE_CLICK,
        "List-Id": formataddr((name, f"{list_label(topic)}.{domain}"), charset="utf-8"),
    }


def _contacts(business: Business) -> list[str]:
    found = [business.contact_email, business.phone, business.website]
    return [_one_line(value) for value in found if value.strip()]


def footer_problem() -> str:
    """Why marketing emails cannot go out yet ('' when they can): the footer needs the
    business's postal address and at least one more contact method."""
    business = business_get()
    if not business.address.strip():
        return _("Add the business's postal address in Settings before sending offers.")
    if not _contacts(business):
        return _(
            "Add a contact email, phone number or website for the business in Settings "
            "before sending offers."
        )
    return ""


def marketing_footer(*, token: str) -> tuple[str, str]:
    """The footer as plain text and as HTML (every value escaped): unsubscribe and preference
    links, then the business's name, postal address and contact methods that are set."""
    business = business_get()
    unsubscribe, preferences = unsubscribe_url(token), preferences_url(token)
    contacts = _contacts(business)
    address = business.address.strip()
    text_lines = [
        "-- ",
        _("Unsubscribe: %(url)s") % {"url": unsubscribe},
        _("Choose what we send you: %(url)s") % {"url": preferences},
        "",
        _one_line(business.name),
        *[line.strip() for line in address.splitlines() if line.strip()],
    ]
    if contacts:
        text_lines.append(" · ".join(contacts))
    html = format_html(
        '<hr><p style="font-size:small;color:#5b6770">'
        '<a href="{}">{}</a> · <a href="{}">{}</a></p>'
        '<div style="font-size:small;color:#5b6770"><p>{}</p>{}{}</div>',
        unsubscribe,
        _("Unsubscribe"),
        preferences,
        _("Choose what we send you"),
        business.name,
        format_html("<p>{}</p>", linebreaksbr(address, autoescape=True)) if address else "",
        format_html("<p>{}</p>", format_html_join(" · ", "{}", ((c,) for c in contacts)))
        if contacts
        else "",
    )
    return "\n".join(text_lines) + "\n", str(html)
