"""Routes of the campaign pages and the code redemption form (namespace ``outreach``)."""

from django.urls import path

from goodwill.outreach.views import campaigns

urlpatterns = [
    path("campaigns/", campaigns.campaign_list_view, name="campaign_list"),
    path("campaigns/new/", campaigns.campaign_create_view, name="campaign_create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail_view, name="campaign_detail"),
    path("campaigns/<int:pk>/preview/", campaigns.campaign_preview_view, name="campaign_preview"),
    path("campaigns/<int:pk>/send/", campaigns.campaign_send_view, name="campaign_send"),
    path(
        "campaigns/<int:pk>/recipients/<int:person_id>/response/",
        campaigns.campaign_response_view,
        name="campaign_response",
    ),
    path("redeem/", campaigns.redeem_view, name="redeem"),
]
