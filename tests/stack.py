"""The app's processes as users run them, for tests that kill and restart parts of it.

`AppStack` runs `scripts/run.sh` (what `make run` runs: supervisord with the web app,
the worker and the scheduler) against the services `make test` started, with its own
SQLite database (the default of `make run`), Redis database, index prefix and port.
The README's commands (`manage.py import_articles`, `manage.py pipeline_status`) are
run against it as a user would in another terminal.
"""
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from elasticsearch import Elasticsearch

from .conftest import ROOT, run_service_script, wait_until

SUPERVISOR_CONF = ROOT / "deploy" / "supervisord.conf"
DOTENV = ROOT / ".env"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppStack:
    def __init__(self, folder: Path, name: str, redis_db: int, extra_env=None, own_redis=False):
        """`own_redis`: run.sh starts a Redis of its own on a free port, as `make run` does on
        a fresh machine (and so must stop it), instead of using the test services' Redis."""
        self.folder = folder
        self.log_path = folder / "run.log"
        self.port = free_port()
        self.database = folder / "db.sqlite3"
        self.redis_port = free_port() if own_redis else None
        if own_redis:
            broker = f"redis://127.0.0.1:{self.redis_port}/{redis_db}"
            extra_env = {"REDIS_PORT": str(self.redis_port), **(extra_env or {})}
        else:
            broker = settings.CELERY_BROKER_URL.rsplit("/", 1)[0] + f"/{redis_db}"
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{self.database}",
            "CELERY_BROKER_URL": broker,
            "ELASTICSEARCH_INDEX_PREFIX": f"{settings.ELASTICSEARCH_INDEX_PREFIX}-{name}",
            "WEB_PORT": str(self.port),
            "NEWSARCHIVE_RUN_DIR": str(folder / "run"),
            "UPLOAD_DIR": str(folder / "uploads"),
            **(extra_env or {}),
        }
        self.env = {name: value for name, value in self.env.items() if value is not None}  # None: unset
        self.index = f"{self.env['ELASTICSEARCH_INDEX_PREFIX']}-articles"
        self.process = None

    # -- lifecycle ---------------------------------------------------------------------

    def start(self):
        """A fresh stack: empty queue and index (the SQLite file is new), then run.sh."""
        self._dotenv = DOTENV.read_bytes() if DOTENV.exists() else None  # run.sh writes to it
        Elasticsearch(settings.ELASTICSEARCH_URL).indices.delete(index=self.index, ignore_unavailable=True)
        if not self.redis_port:  # a Redis of its own starts empty
            subprocess.run([sys.executable, "-m", "celery", "-A", "newsarchive", "purge", "-f"],
                           cwd=ROOT, env=self.env, check=True, capture_output=True)
        self._log = open(self.log_path, "a")
        self.process = subprocess.Popen(["bash", "scripts/run.sh"], cwd=ROOT, env=self.env,
                                        stdout=self._log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        wait_until(lambda: self._ready() or self.process.poll() is not None, timeout=180,
                   message="make run's stack to start")
        if self.process.poll() is not None:
            raise RuntimeError(f"scripts/run.sh exited:\n{self.log()[-3000:]}")

    def _ready(self):
        return self.log().count(" ready.") >= 1 and "Listening at: http://127.0.0.1:" in self.log()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._log.close()
        # The checkout's .env as it was: it now names this stack's temporary database.
        if self._dotenv is None:
            DOTENV.unlink(missing_ok=True)
        else:
            DOTENV.write_bytes(self._dotenv)

    def log(self):
        return self.log_path.read_text(errors="replace")

    # -- the README's commands ---------------------------------------------------------

    def manage(self, *args, check=True, timeout=600):
        result = subprocess.run([sys.executable, "manage.py", *map(str, args)], cwd=ROOT, env=self.env,
                                capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(map(str, args))} exited {result.returncode}:\n"
                                 f"{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
        return result

    def status(self):
        return json.loads(self.manage("pipeline_status", "--json").stdout)

    def converged(self):
        """Every article enriched and in the index, once each; returns the status then."""
        status = self.last_status = self.status()
        done = (
            status["articles"] > 0
            and status["enrichment"]["enriched"] == status["articles"]
            and status["stale_in_index"] == 0
            and status["index_documents"] == status["articles"]
        )
        return status if done else None

    def wait_converged(self, timeout, message="the pipeline to converge"):
        start = time.monotonic()
        try:
            status = wait_until(self.converged, timeout=timeout, interval=2, message=message)
        except BaseException as exc:  # pytest.fail's exception: add where the pipeline stood
            raise AssertionError(f"{exc}; last status: {getattr(self, 'last_status', None)}") from exc
        return status, time.monotonic() - start

    # -- processes ---------------------------------------------------------------------

    def supervisorctl(self, *args):
        return subprocess.run([str(ROOT / ".venv" / "bin" / "supervisorctl"), "-c", str(SUPERVISOR_CONF), *args],
                              env=self.env, capture_output=True, text=True).stdout.strip()

    def pid(self, program):
        return int(self.supervisorctl("pid", program))

    def worker_children(self):
        """The pool processes of the Celery worker (the ones that run tasks)."""
        children = Path(f"/proc/{self.pid('worker')}/task/{self.pid('worker')}/children").read_text()
        return [int(pid) for pid in children.split()]

    def sql(self, statement):
        """Read or change the stack's database directly (fast polls; faults for drills)."""
        with sqlite3.connect(self.database, timeout=60) as connection:
            return connection.execute(statement).fetchall()

    def batches_in_progress(self):
        """Articles a task has claimed and not finished: a batch is being analysed."""
        return self.sql("SELECT count(*) FROM articles_article "
                        "WHERE enrichment_status = 'pending' AND claimed_by != ''")[0][0]


def stop_and_start(service):
    """Really stop one of `make test`'s services; returns the function that starts it again."""
    run_service_script(f"stop_{service}")
    return lambda: run_service_script(f"start_{service}")


def reuters_sample(folder: Path, count: int, skip: int = 0) -> Path:
    """The first `count` Reuters train items with a body (after `skip`), as a JSON Lines file."""
    from .conftest import SHARED_DATA

    lines = []
    with open(SHARED_DATA / "reuters21578" / "train.jsonl", encoding="utf-8") as source:
        for line in source:
            if (json.loads(line).get("text") or "").strip():
                lines.append(line)
            if len(lines) == skip + count:
                break
    path = folder / f"reuters-{skip}-{count}.jsonl"
    path.write_text("".join(lines[skip:]), encoding="utf-8")
    return path
