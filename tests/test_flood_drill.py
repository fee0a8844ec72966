"""Flood drill on the stack users run (`make run`, its default rate limits): one client floods
search or the login form from 8 threads while a monitor asks `/healthz`; the flood is refused
with 429s, never a 5xx, and the health probe stays fast for everybody else. The same fresh
stack has no admin/admin account."""
import json
import re
import statistics
import subprocess
import sys
import time

import pytest
import requests

from .conftest import ROOT, SEED
from .stack import AppStack, reuters_sample

pytestmark = [pytest.mark.drill, pytest.mark.slow]

FLOOD_SECONDS, FLOOD_THREADS = 15, 8
# The stack runs with the documented defaults, not the test stack's out-of-reach limits.
DEFAULT_LIMITS = dict.fromkeys(["SEARCH_RATE_LIMIT", "API_RATE_LIMIT", "LOGIN_RATE_LIMIT", "UPLOAD_RATE_LIMIT"])


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("flood")
    app = AppStack(folder, "flood", redis_db=12, extra_env=DEFAULT_LIMITS)
    app.start()
    try:
        app.manage("import_articles", SEED)
        app.manage("import_articles", reuters_sample(folder, 300))
        app.wait_converged(timeout=300)
        yield app
    finally:
        app.stop()


def admin_signs_in(base, password):
    session = requests.Session()
    page = session.get(f"{base}/admin/login/", timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    session.post(f"{base}/admin/login/", timeout=30, headers={"Referer": f"{base}/admin/login/"},
                 data={"csrfmiddlewaretoken": token, "username": "admin", "password": password})
    return session.get(f"{base}/admin/", timeout=30, allow_redirects=False).status_code == 200


def test_a_fresh_make_run_signs_in_with_the_password_it_printed_once_and_never_admin(stack):
    base = f"http://127.0.0.1:{stack.port}"
    printed = re.findall(r"Admin account admin created\. Its password: (\S+)", stack.log())

    assert len(printed) == 1
    assert not admin_signs_in(base, "admin")
    assert admin_signs_in(base, printed[0])


def health_latencies_during(stack, kind):
    """Milliseconds of each /healthz answer while `kind` floods, and the flood's statuses."""
    base = f"http://127.0.0.1:{stack.port}"
    flood = subprocess.Popen([sys.executable, "-m", "tests.flood", base, kind, str(FLOOD_SECONDS), str(FLOOD_THREADS)],
                             cwd=ROOT, stdout=subprocess.PIPE, text=True)
    latencies, monitor = [], requests.Session()
    time.sleep(1)  # the flood under way
    while flood.poll() is None:
        started = time.perf_counter()
        assert monitor.get(f"{base}/healthz", timeout=10).status_code == 200
        latencies.append((time.perf_counter() - started) * 1000)
        time.sleep(0.1)
    return latencies, json.loads(flood.stdout.read())


def report(kind, latencies, statuses):
    quantiles = statistics.quantiles(latencies, n=20)
    print(f"\n[flood] {kind}: {statuses}; /healthz over {len(latencies)} probes: median "
          f"{statistics.median(latencies):.0f} ms, p95 {quantiles[18]:.0f} ms, max {max(latencies):.0f} ms")
    return quantiles[18]


# Login first: its flooders read the form once (a search-group page), before search's flood
# spends that group's minute.
@pytest.mark.parametrize("kind", ["login", "search"])
def test_a_flood_from_one_client_is_refused_and_health_answers_fast(stack, kind):
    latencies, statuses = health_latencies_during(stack, kind)
    p95 = report(kind, latencies, statuses)

    assert not [status for status in statuses if not str(status).isdigit() or int(status) >= 500], statuses
    assert statuses.get("429", 0) > statuses.get("200", 0)
    assert statistics.median(latencies) < 100
    assert p95 < 300
