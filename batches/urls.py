from django.urls import path

from . import api, views

app_name = "batches"
urlpatterns = [
    path("batches/", views.batches_page, name="batches"),
    path("batches/<int:batch_id>/", views.batch_page, name="batch"),
    path("batches/<int:batch_id>/run", views.run_page, name="run"),
    path("batches/<int:batch_id>/delete", views.delete_page, name="delete"),
    path("api/batches", api.batches_api, name="api-batches"),
    path("api/batches/<int:batch_id>", api.batch_api, name="api-batch"),
    path("api/batches/<int:batch_id>/results", api.results_api, name="api-results"),
    path("api/batches/<int:batch_id>/results.csv", api.results_csv_api, name="api-results-csv"),
    path("api/batches/<int:batch_id>/results.xlsx", api.results_xlsx_api, name="api-results-xlsx"),
]
