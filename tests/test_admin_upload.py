"""Staff upload articles through the admin; the worker imports, cleans and indexes them."""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from articles.models import Article, ImportBatch

from .browser import browser_page, screenshot
from .conftest import SEED, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.slow
@pytest.mark.browser
def test_seed_uploaded_in_the_admin_becomes_one_clean_searchable_article(
    live_server, worker, search_index, staff_login
):
    username, password = staff_login
    with browser_page() as page:
        page.goto(f"{live_server.url}/admin/articles/importbatch/upload/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.set_input_files("#id_files", str(SEED))
        page.click("input[value=Upload]")
        page.wait_for_url("**/admin/articles/importbatch/*/change/**")
        batch = ImportBatch.objects.get()
        wait_until(lambda: Client().get("/api/search", {"q": "Kremlin"}).json()["total"] == 1,
                   timeout=90, message="the uploaded seed to be searchable")
        page.reload()
        screenshot(page, "admin-batch-progress")
        assert "1 / 1" in page.content()  # enrichment done

    article = Article.objects.get()
    batch.refresh_from_db()
    assert (batch.status, batch.created, batch.failed) == ("done", 1, 0)
    assert article.source == "Bloomberg"
    assert "Â" not in article.body
    assert "More stories like this" not in article.body and "©" not in article.body
    assert article.title.startswith("Chinese President Xi Jinping may visit Moscow")
    assert "may visit Moscow as early as next week" not in article.body  # the repeated lead is gone


def test_upload_page_is_for_staff_only():
    client = Client()
    client.force_login(get_user_model().objects.create_user("reader", password="reader-pass"))

    response = client.get("/admin/articles/importbatch/upload/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_uploaded_batch_reports_what_failed_and_why(worker, staff_login):
    client = Client()
    client.force_login(get_user_model().objects.get(username=staff_login[0]))
    good = SimpleUploadedFile("note.txt", b"Harbour reopens\nThe harbour in Rotterdam reopened on Monday.")
    truncated = SimpleUploadedFile("archive.zip", b"PK\x03\x04" + b"\x00" * 20)
    empty = SimpleUploadedFile("empty.txt", b"")

    response = client.post("/admin/articles/importbatch/upload/",
                           {"files": [good, truncated, empty], "default_source": "Port Weekly"})

    assert response.status_code == 302  # returns at once; the worker does the import
    batch = wait_until(lambda: ImportBatch.objects.filter(status="done").first(), timeout=60,
                       message="the worker to import the upload")
    assert (batch.files_seen, batch.created, batch.failed) == (3, 1, 2)
    reasons = {p["where"].split("-", 1)[1]: p["reason"] for p in batch.problems}
    assert set(reasons) == {"archive.zip", "empty.txt"}
    assert "zip" in reasons["archive.zip"] and "empty" in reasons["empty.txt"]
    assert Article.objects.get().source == "Port Weekly"


def test_rerun_enrichment_action_marks_failed_articles_pending(staff_login):
    client = Client()
    client.force_login(get_user_model().objects.get(username=staff_login[0]))
    failed = Article.objects.create(title="A", body="Text.", content_hash="a",
                                    enrichment_status="failed", enrichment_error="model crashed")

    client.post("/admin/articles/article/?enrichment_status__exact=failed",
                {"action": "rerun_enrichment", "_selected_action": [failed.id]})

    failed.refresh_from_db()
    assert failed.enrichment_status == "pending"  # queued for the worker


def test_a_batch_page_shows_problems_whose_file_names_contain_braces(staff_login):
    client = Client()
    client.force_login(get_user_model().objects.get(username=staff_login[0]))
    batch = ImportBatch.objects.create(status="done", failed=1, problems=[
        {"where": "0000-{draft}.txt", "outcome": "failed", "reason": "empty file"}])

    response = client.get(f"/admin/articles/importbatch/{batch.id}/change/")

    assert response.status_code == 200
    assert "0000-{draft}.txt" in response.content.decode()


def test_staff_who_may_only_view_articles_cannot_rerun_anything():
    viewer = get_user_model().objects.create_user("viewer", password="viewer-pass", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client = Client()
    client.force_login(viewer)
    failed = Article.objects.create(title="A", body="Text.", content_hash="a", enrichment_status="failed")

    page = client.get("/admin/articles/article/")
    client.post("/admin/articles/article/", {"action": "rerun_enrichment", "_selected_action": [failed.id]})

    assert page.status_code == 200 and "rerun_enrichment" not in page.content.decode()
    failed.refresh_from_db()
    assert failed.enrichment_status == "failed"


def test_an_upload_while_the_queue_is_down_is_stored_and_says_it_starts_later(staff_login, stopped_redis):
    client = Client()
    client.force_login(get_user_model().objects.get(username=staff_login[0]))
    story = SimpleUploadedFile("note.txt", b"Harbour reopens\nThe harbour in Rotterdam reopened on Monday.")

    response = client.post("/admin/articles/importbatch/upload/", {"files": [story]}, follow=True)

    assert response.status_code == 200
    assert "starts by itself once the queue is back" in response.content.decode()
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.queued_at) == ("queued", None)


def test_a_file_with_a_300_character_name_is_stored_and_imported(worker, staff_login):
    client = Client()
    client.force_login(get_user_model().objects.get(username=staff_login[0]))
    long_named = SimpleUploadedFile("harbour-" * 40 + ".txt", b"Harbour reopens\nThe harbour reopened on Monday.")

    response = client.post("/admin/articles/importbatch/upload/", {"files": [long_named]})

    assert response.status_code == 302
    batch = wait_until(lambda: ImportBatch.objects.filter(status="done").first(), timeout=60,
                       message="the worker to import the upload")
    assert (batch.files_seen, batch.created, batch.failed) == (1, 1, 0)
