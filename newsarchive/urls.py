from django.contrib import admin
from django.urls import include, path, re_path

from articles.web import api_not_found

from . import openapi

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/openapi.json", openapi.openapi_json, name="api-openapi"),
    path("", include("articles.urls")),
    path("", include("following.urls")),
    path("", include("trends.urls")),
    path("", include("batches.urls")),
    re_path(r"^api/", api_not_found),  # last: any other /api/ address is a JSON 404
]
