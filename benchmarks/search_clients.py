"""The search benchmark's HTTP side: the production server it starts (deploy/supervisord.conf's
`web` program) and the keep-alive clients that send it, and raw Elasticsearch, the queries."""
import configparser
import http.client
import math
import os
import queue
import secrets
import shlex
import socket
import subprocess
import sys
import threading
import time
from base64 import b64encode
from urllib.parse import urlsplit

from django.core.management.base import CommandError

from .common import ROOT


def percentile(values, fraction):
    """Nearest-rank percentile of `values` (seconds) in milliseconds."""
    ordered = sorted(values)
    return 1000 * ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]



# ---- HTTP targets --------------------------------------------------------------------------


class Target:
    """An HTTP server and how one query is asked of it: (method, path, body, headers)."""

    def __init__(self, name, url, request, auth=None):
        parts = urlsplit(url)
        self.name, self.host, self.port = name, parts.hostname, parts.port or 80
        self.request = request
        self.headers = {"Host": f"{self.host}:{self.port}"}
        if auth:
            self.headers["Authorization"] = "Basic " + b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()

    def connect(self):
        return http.client.HTTPConnection(self.host, self.port, timeout=120)

    def fetch(self, conn, query):
        method, path, body, headers = self.request(query)
        conn.request(method, path, body=body, headers={**self.headers, **headers})
        response = conn.getresponse()
        return response.status, response.read()


def run_clients(target, queries, clients):
    """Every query once, taken from one queue by `clients` threads, each on its own keep-alive
    connection. Returns (latencies in seconds, wall seconds, errors)."""
    work = queue.SimpleQueue()
    for query in queries:
        work.put(query)
    latencies, errors, lock = [], [], threading.Lock()
    received = [0]

    def client():
        conn = target.connect()
        try:
            while True:
                try:
                    query = work.get_nowait()
                except queue.Empty:
                    return
                start = time.perf_counter()
                try:
                    status, data = target.fetch(conn, query)
                except (http.client.HTTPException, OSError) as exc:
                    conn.close()
                    conn = target.connect()
                    status, data = 0, str(exc).encode()
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    received[0] += len(data)
                    if status != 200:
                        errors.append((query["qs"], status, data[:200]))
        finally:
            conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run_clients.received = received[0]
    return latencies, time.perf_counter() - start, errors


# ---- the production server ----------------------------------------------------------------


def web_command(port):
    """deploy/supervisord.conf's `web` program, as `make run` starts it."""
    config = configparser.RawConfigParser()
    config.read(ROOT / "deploy" / "supervisord.conf")
    command = config.get("program:web", "command")
    command = command.replace("%(ENV_NEWSARCHIVE_PYTHON)s", sys.executable).replace("%(ENV_WEB_PORT)s", str(port))
    if "%(" in command:
        raise CommandError(f"deploy/supervisord.conf's web command needs more than the Python and port: {command}")
    return shlex.split(command)


class ProductionServer:
    """The web program with DEBUG off, on a free loopback port (plain HTTP, as `make run`)."""

    def __init__(self, log_path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = web_command(self.port)
        self.log_path = log_path
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0", "SECURE_HSTS_SECONDS": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }

    def __enter__(self):
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=self.log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CommandError(f"the web server exited; see {self.log_path}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                conn.request("GET", "/healthz", headers={"Host": f"127.0.0.1:{self.port}"})
                if conn.getresponse().status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.5)
        raise CommandError(f"the web server did not answer /healthz within 90 s; see {self.log_path}")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
