"""`make run` on a fresh machine starts Redis itself; SIGTERM (a service manager's stop, or
Ctrl-C's sibling) stops every process it started, Redis included, and nothing is left
listening, also when a second SIGTERM follows while it is stopping."""
import signal
import socket
import time
from pathlib import Path

import pytest
import redis

from .stack import AppStack

pytestmark = [pytest.mark.drill, pytest.mark.slow]


def descendants(pid):
    """Every process below `pid`, found through /proc's parent links."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended while we read
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid):
    """Running, not merely a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def listening(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_sigterm_twice_stops_the_app_its_workers_and_the_redis_make_run_started(tmp_path):
    stack = AppStack(tmp_path, "sigterm", redis_db=0, own_redis=True)
    stack.start()
    try:
        redis_pid = redis.Redis(port=stack.redis_port).info("server")["process_id"]
        started = descendants(stack.process.pid) + [redis_pid]
        assert len(started) >= 5  # supervisord, gunicorn and its workers, the worker, the scheduler, Redis

        stack.process.send_signal(signal.SIGTERM)
        time.sleep(1)  # stopping under way (supervisord waits for its programs)
        stack.process.send_signal(signal.SIGTERM)  # an impatient second one
        assert stack.process.wait(timeout=90) == 128 + signal.SIGTERM
    finally:
        stack.stop()

    assert [pid for pid in started if alive(pid)] == []
    assert not listening(stack.port)
    assert not listening(stack.redis_port)
    assert "Stopping redis" in stack.log()
