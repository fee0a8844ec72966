"""Status of the services the app depends on, for /healthz."""
from django.db import connection
from elasticsearch.dsl.connections import connections

from newsarchive.celery import app as celery_app


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True, "vendor": connection.vendor}


def check_elasticsearch():
    info = connections.get_connection().options(request_timeout=3).info()
    return {"ok": True, "version": info["version"]["number"]}


def check_broker():
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=3)
    return {"ok": True}


CHECKS = {"database": check_database, "elasticsearch": check_elasticsearch, "broker": check_broker}


def service_status():
    """{"database": {"ok": ...}, ...}: every check runs, a failure is reported not raised."""
    status = {}
    for name, check in CHECKS.items():
        try:
            status[name] = check()
        except Exception as exc:
            status[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}
    return status
