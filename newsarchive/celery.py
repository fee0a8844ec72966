"""Celery application: the worker that cleans, enriches and indexes articles."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")

app = Celery("newsarchive")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
