from django.urls import path
from django.views.generic import TemplateView

from articles.web import api, views

app_name = "articles"
urlpatterns = [
    path("", views.search_page, name="search"),
    path("help/search", TemplateView.as_view(template_name="articles/search_help.html"), name="search-help"),
    path("articles/<int:article_id>", views.article_page, name="article"),
    path("entities/<str:kind>/<path:ref>", views.entity_page, name="entity"),
    path("aliases/<str:kind>/<path:ref>", views.entity_aliases_page, name="entity-aliases"),
    path("api/search", api.search_api, name="api-search"),
    path("api/search.csv", api.search_csv, name="api-search-csv"),
    path("api/search.jsonl", api.search_jsonl, name="api-search-jsonl"),
    path("api/articles/<int:article_id>", api.article_api, name="api-article"),
    path("api/entities/<str:kind>/<path:ref>", api.entity_api, name="api-entity"),
    path("healthz", views.healthz, name="healthz"),
]
