"""The REST API (django-ninja): /api/v1/, OpenAPI at /api/v1/openapi.json, docs at /api/docs."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from goodwill.accounts.services import token_authenticate
from goodwill.commerce.api import journey_router, purchases_router
from goodwill.core.api import BearerTokenAuth, install_error_handlers
from goodwill.exchange.api import exports_router
from goodwill.exchange.api_access import access_router
from goodwill.exchange.api_imports import imports_router
from goodwill.exchange.api_merge import merge_router
from goodwill.feedback.api import feedback_router
from goodwill.feedback.api_followups import followups_router
from goodwill.occasions.api import agenda_router, occasions_router
from goodwill.outreach.api_campaigns import campaigns_router, redemptions_router
from goodwill.outreach.api_consent import consents_router, topics_router
from goodwill.outreach.api_direct import emails_router
from goodwill.outreach.api_offers import offers_router
from goodwill.outreach.api_surveys import surveys_router
from goodwill.outreach.api_touches import people_router as touches_people_router
from goodwill.outreach.api_touches import policy_router as touch_policy_router
from goodwill.outreach.api_touches import stay_router as stay_in_touch_router
from goodwill.people.api import (
    households_router,
    interests_router,
    organisations_router,
    people_router,
    person_interests_router,
    person_tags_router,
    relationships_router,
    tags_router,
)
from goodwill.timeline.api import interactions_router

DESCRIPTION = (
    "Send `Authorization: Bearer gw_…` with a token from your settings page; it acts with your "
    "role. Lists take `?cursor=&limit=` and answer `{items, next_cursor}`. POSTs accept an "
    "`Idempotency-Key` header (reused with another body: 409). Errors are "
    "`{error: {message, fields}}`."
)

api = NinjaAPI(
    title="goodwill API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url=None,
    auth=BearerTokenAuth(lambda raw: token_authenticate(raw=raw)),
)
install_error_handlers(api)
api.add_router("/people", people_router)
api.add_router("/people", merge_router)
api.add_router("/organisations", organisations_router)
api.add_router("/households", households_router)
api.add_router("/relationships", relationships_router)
api.add_router("/interests", interests_router)
api.add_router("/person-interests", person_interests_router)
api.add_router("/tags", tags_router)
api.add_router("/people", person_tags_router)
api.add_router("/interactions", interactions_router)
api.add_router("/occasions", occasions_router)
api.add_router("/agenda", agenda_router)
api.add_router("/feedback", feedback_router)
api.add_router("/exports", exports_router)
api.add_router("/imports", imports_router)
api.add_router("/people", access_router)
api.add_router("/purchases", purchases_router)
api.add_router("/people", journey_router)
api.add_router("/followups", followups_router)
api.add_router("/followups", surveys_router)
api.add_router("/topics", topics_router)
api.add_router("/people", consents_router)
api.add_router("/touch-policy", touch_policy_router)
api.add_router("/people", touches_people_router)
api.add_router("/stay-in-touch", stay_in_touch_router)
api.add_router("/people", emails_router)
api.add_router("/offers", offers_router)
api.add_router("/campaigns", campaigns_router)
api.add_router("/redemptions", redemptions_router)

# Swagger UI from ninja's bundled static files: no CDN, and no call to the online validator.
swagger = Swagger(settings={"validatorUrl": None, "persistAuthorization": True})


def api_docs(request: HttpRequest) -> HttpResponse:
    """Interactive API documentation (Swagger UI), served entirely from our own static files."""
    return swagger.render_page(request, api)
