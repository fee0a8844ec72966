"""A real three-node Elasticsearch cluster on this machine, for tests.

The nodes run the distribution `scripts/services.sh` assembles (the one the single test node
runs), each with its own copy of its config (hunspell dictionary and keystore included), its
own data, logs and temp folders, its own HTTP and transport port, and one cluster name. They
find each other through `discovery.seed_hosts` and elect the first master among
`cluster.initial_master_nodes`. Security and the other settings are the single node's.

As root the nodes run as the service user (Elasticsearch refuses root), with no stdin, so CI
can run this. Everything lives in a folder of its own under `.var/`, removed by `stop()`.

    cluster = Cluster()
    cluster.start()            # all nodes up, the cluster green, or a failure with their logs
    cluster.stop_node("node-2")
    cluster.stop()
"""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import yaml
from elasticsearch import Elasticsearch

ROOT = Path(__file__).resolve().parent.parent


class ClusterError(RuntimeError):
    """The cluster could not be set up, started or stopped; the message carries the node logs."""


def _service_environment():
    """ES_HOME, SERVICE_USER, ES_JAVA_HOME and VAR as scripts/services.sh computes them; the
    distribution is assembled there if it is not yet (the script returns at once when it is)."""
    script = (
        'source scripts/services.sh && ES_USER="$SERVICE_USER" bash scripts/es-assemble.sh "$ES_HOME" >&2 '
        '&& printf "%s\\n" "$ES_HOME" "$SERVICE_USER" "$ES_JAVA_HOME" "$VAR"'
    )
    result = subprocess.run(["bash", "-c", script], cwd=ROOT, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise ClusterError(f"scripts/services.sh could not provide Elasticsearch:\n{result.stderr[-3000:]}")
    es_home, user, java_home, var = result.stdout.split("\n")[:4]
    return Path(es_home), user, java_home, Path(var)


def _port_in_use(port):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _alive(pid):
    """The process runs (a zombie waiting for its parent to reap it counts as stopped)."""
    try:
        os.kill(pid, 0)
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (ProcessLookupError, FileNotFoundError):
        return False
    except PermissionError:  # not ours to signal, but it exists
        return True
    return state != "Z"


class Node:
    def __init__(self, name, http_port, transport_port, home):
        self.name, self.http_port, self.transport_port, self.home = name, http_port, transport_port, home
        self.config, self.data, self.logs, self.tmp = (home / d for d in ("config", "data", "logs", "tmp"))
        self.pid_file, self.start_log = home / "es.pid", home / "start.log"
        self.url = f"http://127.0.0.1:{http_port}"

    @property
    def pid(self):
        try:
            return int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    def running(self):
        return self.pid is not None and _alive(self.pid)


class Cluster:
    def __init__(self, size=3, http_base=9211, transport_base=9311, name="newsarchive-cluster-test",
                 heap="512m", start_timeout=240):
        self.name, self.heap, self.start_timeout = name, heap, start_timeout
        self.es_home, self.user, self.java_home, var = _service_environment()
        self.base = Path(tempfile.mkdtemp(prefix="es-cluster-", dir=var))
        self.nodes = [Node(f"node-{i + 1}", http_base + i, transport_base + i, self.base / f"node-{i + 1}")
                      for i in range(size)]

    @property
    def urls(self):
        return [node.url for node in self.nodes]

    def node(self, name):
        return next(node for node in self.nodes if node.name == name)

    def running_nodes(self):
        return [node for node in self.nodes if node.running()]

    def client(self, nodes=None, **options):
        return Elasticsearch([node.url for node in (nodes or self.running_nodes())], **options)

    # --- set up and start -------------------------------------------------------------

    def _node_settings(self, node):
        """The distribution's elasticsearch.yml (security, network, disk threshold) made a cluster node's."""
        settings = yaml.safe_load((self.es_home / "config" / "elasticsearch.yml").read_text()) or {}
        for key in ("discovery.type", "cluster.name", "node.name", "http.port", "transport.port",
                    "path.data", "path.logs", "discovery.seed_hosts", "cluster.initial_master_nodes"):
            settings.pop(key, None)
        settings.update({
            "cluster.name": self.name,
            "node.name": node.name,
            "network.host": "127.0.0.1",
            "http.port": node.http_port,
            "transport.port": node.transport_port,
            "path.data": str(node.data),
            "path.logs": str(node.logs),
            "discovery.seed_hosts": [f"127.0.0.1:{n.transport_port}" for n in self.nodes],
            # Only for the very first election of a new cluster (the data folders are fresh).
            "cluster.initial_master_nodes": [n.name for n in self.nodes],
        })
        return settings

    def _prepare(self):
        taken = [p for n in self.nodes for p in (n.http_port, n.transport_port) if _port_in_use(p)]
        if taken:
            raise ClusterError(f"ports {taken} are already in use (a cluster left running by an earlier run? "
                               f"look for java processes of user {self.user} under {self.base.parent}/es-cluster-*)")
        for node in self.nodes:
            # The whole config folder: jvm.options, log4j2, keystore and hunspell/en_US (the mapping needs it).
            shutil.copytree(self.es_home / "config", node.config)
            if not (node.config / "hunspell" / "en_US").is_dir():
                raise ClusterError(f"{self.es_home}/config/hunspell/en_US is missing: the articles mapping needs it")
            (node.config / "elasticsearch.yml").write_text(
                "# Written by tests/cluster.py\n" + yaml.safe_dump(self._node_settings(node), sort_keys=False))
            for folder in (node.data, node.logs, node.tmp):
                folder.mkdir(parents=True)
        if os.geteuid() == 0:
            subprocess.run(["chown", "-R", f"{self.user}:", str(self.base)], check=True)

    def _command(self, node):
        env = [f"ES_JAVA_HOME={self.java_home}", f"ES_PATH_CONF={node.config}", f"ES_TMPDIR={node.tmp}",
               f"ES_JAVA_OPTS=-Xms{self.heap} -Xmx{self.heap}"]
        command = ["env", *env, str(self.es_home / "bin" / "elasticsearch"), "-d", "-p", str(node.pid_file)]
        return ["runuser", "-u", self.user, "--", *command] if os.geteuid() == 0 else command

    def start(self):
        """Start every node at once (none can elect a master alone), then wait for a green cluster.

        On failure every node is stopped, the folder removed, and the ClusterError tells what
        failed with the end of each node's output, the nodes that are not running first.
        """
        started = time.monotonic()
        try:
            self._prepare()
            launchers = []
            for node in self.nodes:
                with open(node.start_log, "wb") as log:
                    launchers.append(subprocess.Popen(self._command(node), stdin=subprocess.DEVNULL, stdout=log,
                                                      stderr=subprocess.STDOUT, cwd=node.home))
            # `elasticsearch -d` returns once its node has started (or failed to).
            codes = {node.name: launcher.wait(timeout=self.start_timeout) for node, launcher in zip(self.nodes, launchers)}
            failed = [f"{name} (exit code {code})" for name, code in codes.items() if code != 0]
            if failed:
                raise ClusterError(f"did not start: {', '.join(failed)}")
            self.wait_for(status="green", nodes=len(self.nodes),
                          timeout=max(10, self.start_timeout - (time.monotonic() - started)))
        except (ClusterError, subprocess.TimeoutExpired, OSError) as exc:
            down = [node for node in self.nodes if not node.running()]
            launched = any(node.start_log.exists() for node in self.nodes)
            logs = self.logs_tail(down + [node for node in self.nodes if node not in down]) if launched else ""
            self.stop()
            raise ClusterError(f"The {len(self.nodes)}-node Elasticsearch cluster did not come up: {exc}\n"
                               f"{logs}") from None
        self.started_in = time.monotonic() - started
        return self

    def wait_for(self, status, nodes, timeout=60):
        """Wait until the running nodes see `nodes` nodes and at least `status`; the health answer."""
        deadline, last = time.monotonic() + timeout, "no answer"
        while time.monotonic() < deadline:
            try:
                with self.client(request_timeout=5) as client:
                    health = client.cluster.health(wait_for_status=status, wait_for_nodes=str(nodes), timeout="2s")
                if not health["timed_out"]:
                    return health
                last = {k: health[k] for k in ("status", "number_of_nodes", "unassigned_shards")}
            except Exception as exc:  # nodes still starting: keep asking until the deadline
                last = f"{type(exc).__name__}: {exc}"
            time.sleep(1)
        raise ClusterError(f"no {status} cluster of {nodes} node(s) within {timeout:.0f} s (last: {last})")

    # --- stop -----------------------------------------------------------------------------

    def stop_node(self, name, timeout=60):
        """Stop one node the way an operator does (SIGTERM, a clean shutdown); SIGKILL after `timeout`."""
        node = self.node(name)
        pid = node.pid
        if pid is None or not _alive(pid):
            return
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
            while _alive(pid):
                time.sleep(0.2)

    def stop(self, keep_files=False):
        """Stop every node (in parallel) and remove the cluster's folder."""
        for node in self.nodes:
            if node.running():
                os.kill(node.pid, signal.SIGTERM)
        for node in self.nodes:
            self.stop_node(node.name)
        if not keep_files:
            shutil.rmtree(self.base, ignore_errors=True)

    def logs_tail(self, nodes=None, lines=20):
        """The last lines of each node's start output and log, for failure messages."""
        parts = []
        for node in nodes or self.nodes:
            for path in (node.start_log, node.logs / f"{self.name}.log"):
                try:
                    text = path.read_text(errors="replace").splitlines()[-lines:]
                except FileNotFoundError:
                    text = ["(no file)"]
                parts.append(f"--- {node.name}: {path.name} ---\n" + "\n".join(text))
        return "\n".join(parts)
