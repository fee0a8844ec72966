from django.contrib import admin
from django.urls import include, path

from . import openapi

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/openapi.json", openapi.openapi_json, name="api-openapi"),
    path("", include("articles.urls")),
    path("", include("following.urls")),
    path("", include("trends.urls")),
]
