from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from articles.web import api_not_found

from . import openapi

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/openapi.json", openapi.openapi_json, name="api-openapi"),
    # Browsers and feed readers ask for /favicon.ico whatever the pages' <link rel=icon> says.
    path("favicon.ico", RedirectView.as_view(url=static("articles/favicon.svg"))),
    path("", include("articles.urls")),
    path("", include("following.urls")),
    path("", include("trends.urls")),
    path("", include("batches.urls")),
    re_path(r"^api/", api_not_found),  # last: any other /api/ address is a JSON 404
]
