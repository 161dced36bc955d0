"""Real servers for the serving tests and bench scripts: `registry serve` processes and nginx in front.

Every process is started by the caller and stopped by it (``stop``), by its own id.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = Path(sys.executable).with_name("registry")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method: str, url: str, body: dict | None = None, token: str | None = None, timeout: float = 30):
    """(status, parsed JSON or text) of one request; HTTP errors are answers, not exceptions."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, raw, ctype = r.status, r.read(), r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as err:
        status, raw, ctype = err.code, err.read(), err.headers.get("Content-Type", "")
    text = raw.decode("utf-8", "replace")
    return status, (json.loads(text) if "json" in ctype else text)


def run_registry(env: dict, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(REGISTRY), *args], env=env, cwd=cwd or ROOT, capture_output=True, text=True, timeout=600)


@dataclass
class Node:
    """One `registry serve` process (gunicorn) on a loopback port, with its own index folder and log."""

    env: dict
    port: int
    log: Path
    proc: subprocess.Popen | None = None
    extra_args: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Node:
        self._log = open(self.log, "a", encoding="utf-8")  # noqa: SIM115 - kept open while the node runs
        self.proc = subprocess.Popen(
            [str(REGISTRY), "serve", "--port", str(self.port), *self.extra_args],
            env=self.env,
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def wait_ready(self, timeout: float = 180) -> dict:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"node on {self.port} exited {self.proc.returncode}:\n{self.log_text()[-3000:]}")
            try:
                status, body = http("GET", f"{self.url}/readyz", timeout=5)
                if status == 200:
                    return body
                last = body
            except OSError as err:
                last = err
            time.sleep(0.2)
        raise RuntimeError(f"node on {self.port} not ready after {timeout}s: {last}\n{self.log_text()[-3000:]}")

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def signal(self, sig: int) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)

    def kill(self) -> None:
        """SIGKILL the whole node (master and workers: they share its process group)."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
        self._close()

    def stop(self, timeout: float = 60) -> int | None:
        """TERM (gunicorn's graceful stop), then KILL if it is still running after ``timeout``."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)
        self._close()
        return self.proc.returncode

    def _close(self) -> None:
        log = getattr(self, "_log", None)
        if log is not None:
            log.close()


def node_env(database_url: str, index: Path, **settings: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REGISTRY_INDEX": str(index),
        "SECRET_KEY": "serving-test",
        "WEB_WORKERS": "1",
        "WEB_THREADS": "4",
        "INDEX_FOLLOW_INTERVAL": "0.2",
    }
    env.update(settings)
    return env


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


NGINX_CONF = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
  access_log {dir}/access.log;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  upstream registry {{
{servers}
    keepalive 32;
  }}
  server {{
    listen 127.0.0.1:{port};
    client_max_body_size 2m;
    location / {{
      proxy_pass http://registry;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_read_timeout 60s;
    }}
  }}
}}
"""


@dataclass
class Nginx:
    """nginx on a loopback port in front of ``ports``, with a generated configuration in its own folder."""

    ports: list[int]
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="registry-nginx-")))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Nginx:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (tests/serving/ensure_nginx.sh installs it as root)")
        servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;" for p in self.ports)
        conf = self.folder / "nginx.conf"
        conf.write_text(NGINX_CONF.format(dir=self.folder, servers=servers, port=self.port), encoding="utf-8")
        self.proc = subprocess.Popen(
            [binary, "-c", str(conf), "-p", str(self.folder), "-e", str(self.folder / "error.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.proc.stderr.read().decode() if self.proc.stderr else ''}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nginx did not listen")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        if self.proc is not None and self.proc.stderr:
            self.proc.stderr.close()
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass
class Cluster:
    """One database (migrated, loaded from ``corpus``, with one editor token per province) and n nodes on it.

    Each node keeps its own index folder under ``workdir``; ``nginx`` (when started) balances over them.
    """

    database_url: str
    workdir: Path
    corpus: Path
    settings: dict = field(default_factory=dict)
    nodes: list[Node] = field(default_factory=list)
    nginx: Nginx | None = None
    tokens: dict[str, str] = field(default_factory=dict)

    def env(self, index: Path | None = None) -> dict:
        return node_env(
            self.database_url,
            index or self.workdir / "no-index",
            REGISTRY_CORPUS=str(self.corpus),
            **self.settings,
        )

    def prepare(self, provinces: tuple[str, ...] = ("CN-SH", "CN-JS")) -> Cluster:
        """Migrate and load the database (no index built: only nodes keep one) and make editor tokens."""
        from app.accounts.services import add_user, create_token
        from app.corpus.loader import read_corpus
        from app.registry.db import is_empty, make_engine, upgrade, write_session
        from app.registry.loading import load_corpus

        engine = make_engine(self.database_url)
        try:
            upgrade(engine)
            if is_empty(engine):
                with write_session(engine) as s:
                    load_corpus(s, read_corpus(self.corpus))
            for code in provinces:
                name = f"ed-{code[-2:].lower()}-{os.getpid()}"
                with write_session(engine) as s:
                    add_user(s, name, "editor", [code])
                with write_session(engine) as s:
                    self.tokens[code] = create_token(s, name)[1]
        finally:
            engine.dispose()
        return self

    def add_node(self, name: str) -> Node:
        node = Node(self.env(self.workdir / f"index-{name}"), free_port(), self.workdir / f"{name}.log")
        self.nodes.append(node)
        return node

    def start(self, n: int, *, with_nginx: bool = True, timeout: float = 300) -> Cluster:
        started = [self.add_node(f"node{i + 1}").start() for i in range(n)]
        for node in started:
            node.wait_ready(timeout)
        if with_nginx:
            self.nginx = Nginx([node.port for node in self.nodes]).start()
        return self

    def stop(self) -> None:
        if self.nginx is not None:
            self.nginx.stop()
        for node in self.nodes:  # all stop gracefully at once
            if node.proc is not None and node.proc.poll() is None:
                node.proc.send_signal(signal.SIGTERM)
        for node in self.nodes:
            node.stop()
