"""Campaign pages: the list, a campaign with what came of it, the preview (who it would go to
and why, who it would not and why), sending it (managers), noting a reply, and redeeming a
code at the counter (any staff member)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goodwill.accounts.http import AuthedRequest
from goodwill.core.errors import Conflict, GoodwillError, Invalid, NotFound
from goodwill.outreach.models_campaigns import Campaign
from goodwill.outreach.selectors.audience import REASON_LABELS, REASONS
from goodwill.outreach.selectors.campaigns import (
    campaign_get,
    campaign_list,
    campaign_preview,
    campaign_recipient_get,
    campaign_recipients,
    campaign_stats,
)
from goodwill.outreach.selectors.offers import offer_get
from goodwill.outreach.services.campaigns import campaign_create, campaign_send
from goodwill.outreach.services.responses import code_redeem, response_record

RECIPIENTS_PAGE = 50
SENDING_REFRESH = 3  # seconds between two reloads of a campaign's page while it is sent


def _page(request: AuthedRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() else 1


def _first_message(exc: GoodwillError) -> str:
    return next(iter(exc.fields.values()), [exc.message])[0]


@login_required
def campaign_list_view(request: AuthedRequest) -> HttpResponse:
    """Every campaign, newest first (any staff member)."""
    campaigns = campaign_list(user=request.user)
    return render(request, "outreach/campaigns/campaign_list.html", {"campaigns": campaigns})


@login_required
@require_POST
def campaign_create_view(request: AuthedRequest) -> HttpResponse:
    """Start a campaign for an offer (managers); then its preview."""
    offer_id = request.POST.get("offer_id", "")
    if not offer_id.isdigit():
        raise NotFound(_("No such offer."))
    offer = offer_get(user=request.user, offer_id=int(offer_id))
    try:
        campaign = campaign_create(
            actor=request.user, offer=offer, name=request.POST.get("name", "")
        )
    except Invalid as exc:
        messages.error(request, _first_message(exc))
        return redirect("outreach:offer_detail", pk=offer.pk)
    return redirect("outreach:campaign_preview", pk=campaign.pk)


@login_required
def campaign_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """A campaign: sent, held, excluded by reason, unsubscribes, redemptions and replies, and
    the people it went to (50 a page); while it is being sent, how far it got (the page reloads
    itself every few seconds, no JavaScript needed)."""
    campaign = campaign_get(user=request.user, campaign_id=pk)
    stats = campaign_stats(campaign=campaign)
    pages = Paginator(campaign_recipients(campaign=campaign), RECIPIENTS_PAGE)
    context = {
        "campaign": campaign,
        "stats": stats,
        "excluded": [(REASON_LABELS[r], stats.excluded[r]) for r in REASONS],
        "page": pages.get_page(_page(request)),
        "refresh": SENDING_REFRESH if campaign.state == Campaign.State.SENDING else None,
    }
    return render(request, "outreach/campaigns/campaign_detail.html", context)


@login_required
def campaign_preview_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Who the campaign would go to now and why, and who not, grouped by why. Nothing is
    queued; an offer that cannot be sent says why."""
    campaign = campaign_get(user=request.user, campaign_id=pk)
    context: dict[str, object] = {"campaign": campaign}
    try:
        preview = campaign_preview(user=request.user, campaign=campaign, page=_page(request))
    except Invalid as exc:
        context["problem"] = _first_message(exc)
        return render(request, "outreach/campaigns/campaign_preview.html", context, status=422)
    found = preview.found
    context |= {
        "preview": preview,
        "groups": [
            (REASON_LABELS[r], found.excluded[r], found.samples.get(r, [])) for r in REASONS
        ],
    }
    return render(request, "outreach/campaigns/campaign_preview.html", context)


@login_required
@require_POST
def campaign_send_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Send the campaign to its audience (managers), once: it is checked now and queued by a
    worker in the background; its page shows how far it got."""
    campaign = campaign_get(user=request.user, campaign_id=pk)
    try:
        campaign = campaign_send(actor=request.user, campaign=campaign)
    except (Invalid, Conflict) as exc:
        messages.error(request, _first_message(exc))
        return redirect("outreach:campaign_preview", pk=campaign.pk)
    messages.success(
        request,
        _("Sending to %(total)d people; this page follows how far it got.")
        % {"total": campaign.send_total},
    )
    return redirect("outreach:campaign_detail", pk=campaign.pk)


@login_required
@require_POST
def campaign_response_view(request: AuthedRequest, pk: int, person_id: int) -> HttpResponse:
    """Note what a recipient replied (any staff member)."""
    recipient = campaign_recipient_get(user=request.user, campaign_id=pk, person_id=person_id)
    try:
        response_record(actor=request.user, recipient=recipient, note=request.POST.get("note", ""))
    except Invalid as exc:
        messages.error(request, _first_message(exc))
    else:
        messages.success(request, _("Reply noted on their timeline."))
    return redirect("outreach:campaign_detail", pk=recipient.campaign_id)


@login_required
def redeem_view(request: AuthedRequest) -> HttpResponse:
    """The counter's form: type a code from an offer to mark it used (any staff member)."""
    context: dict[str, object] = {"code": ""}
    status = 200
    if request.method == "POST":
        code = request.POST.get("code", "")
        try:
            recipient = code_redeem(actor=request.user, code=code)
        except (Invalid, NotFound, Conflict) as exc:
            context |= {"code": code.strip()[:40], "error": _first_message(exc)}
            status = 422 if isinstance(exc, Invalid) else exc.status
        else:
            messages.success(
                request,
                _("%(code)s redeemed: %(offer)s for %(name)s.")
                % {
                    "code": recipient.code,
                    "offer": recipient.campaign.offer.name,
                    "name": recipient.person.full_name,
                },
            )
            return redirect("outreach:redeem")
    return render(request, "outreach/campaigns/redeem.html", context, status=status)
