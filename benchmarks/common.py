"""What the benchmarks share: Django's set-up and the command line, the data's places, timing,
the Celery worker they start, and waiting until the machine is quiet before a timed run."""
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


def setup_django():
    """Django set up as manage.py sets it up (the same settings module), once per process."""
    import django
    from django.apps import apps

    if not apps.ready:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
        django.setup()


def run(command, module):
    """Run `command` (a BaseCommand) with this process's arguments, as manage.py runs a command:
    the same options, --help, and errors (a CommandError) printed without a traceback."""
    command.run_from_argv(["python -m", module, *sys.argv[1:]])


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


def settle():
    """Vacuum the benchmark's tables and flush every dirty page, so that the next timed
    phase starts without the step before still writing in the background."""
    from django.db import connection

    from articles.models import Article, Entity, Mention

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Article, Entity, Mention):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    os.sync()
    time.sleep(2)


def wait_for_quiet_node(client, patience=300):
    """Until no merge runs on any Elasticsearch node, so that a measurement does not share the
    node with merges of an index just written (by an archive's build or the run before)."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        stats = client.nodes.stats(metric="indices", index_metric="merge")
        if all(node["indices"]["merges"]["current"] == 0 for node in stats["nodes"].values()):
            return
        time.sleep(1)


def start_worker(log_path, concurrency=2):
    """The app's Celery workers, as `make run` starts them (deploy/supervisord.conf): the worker
    (`concurrency` processes) and, at nice 10, the resolver's; their output in `log_path`."""
    log_path.parent.mkdir(exist_ok=True)
    log = open(log_path, "w")
    celery = [sys.executable, "-m", "celery", "-A", "newsarchive", "worker", "--loglevel", "WARNING", "-O", "fair"]
    commands = [[*celery, "--concurrency", str(concurrency), "-X", "resolution"],
                ["nice", "-n", "10", *celery, "--concurrency", "1", "-Q", "resolution", "-n", "resolver@%h"]]
    return Workers([subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
                    for command in commands], log)


class Workers:
    def __init__(self, processes, log):
        self.processes, self.log = processes, log

    def poll(self):
        """None while every worker runs, else the exit code of one that ended."""
        return next((code for code in (p.poll() for p in self.processes) if code is not None), None)


def stop_worker(workers, timeout=90):
    for process in workers.processes:
        process.terminate()
    for process in workers.processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    workers.log.close()
