"""A flood from one client, run as its own process so that its threads do not share the
measuring test's interpreter: `python -m tests.flood URL KIND SECONDS THREADS` prints
{status: count} as JSON. KIND is `search` (result pages) or `login` (failed logins, each
with a valid CSRF token, so every one reaches the login check)."""
import json
import re
import sys
import threading
import time
from collections import Counter

import requests


def search(session, base):
    return session.get(f"{base}/", params={"q": "oil prices"}, timeout=30).status_code


def login(session, base):
    if "csrftoken" not in session.cookies:
        page = session.get(f"{base}/accounts/login/", timeout=30).text
        session.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"csrfmiddlewaretoken": session.token, "username": "editor", "password": "not-the-password"}
    return session.post(f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"},
                        allow_redirects=False, timeout=30).status_code


def flood(base, kind, seconds, threads):
    statuses, deadline, lock = Counter(), time.monotonic() + seconds, threading.Lock()
    request = {"search": search, "login": login}[kind]

    def client():
        session = requests.Session()
        while time.monotonic() < deadline:
            try:
                status = request(session, base)
            except requests.RequestException as exc:
                status = type(exc).__name__
            with lock:
                statuses[status] += 1

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return statuses


if __name__ == "__main__":
    base, kind, seconds, threads = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    print(json.dumps(flood(base, kind, seconds, threads)))
