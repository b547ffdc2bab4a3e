"""The REST API (django-ninja): /api/v1/, OpenAPI at /api/v1/openapi.json, docs at /api/docs."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

api = NinjaAPI(title="goodwill API", version="1", urls_namespace="api", docs_url=None)


def api_docs(request: HttpRequest) -> HttpResponse:
    return HttpResponse("API docs")
