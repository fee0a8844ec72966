from django.urls import path

from . import api, views

app_name = "trends"
urlpatterns = [
    path("compare", views.compare_page, name="compare"),
    path("rising", views.rising_page, name="rising"),
    path("api/compare", api.compare_api, name="api-compare"),
    path("api/compare.csv", api.compare_csv_api, name="api-compare-csv"),
    path("api/rising", api.rising_api, name="api-rising"),
]
