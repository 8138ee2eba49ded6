"""gunicorn with the production settings on loopback, and an HTTP client for it.

The production settings redirect plain HTTP and mark cookies Secure; a TLS-terminating proxy in
front is what production has. The client plays that proxy: it sends `X-Forwarded-Proto: https`
(gunicorn trusts it from 127.0.0.1, Django's SECURE_PROXY_SSL_HEADER reads it) and carries the
Secure cookies itself. No setting is changed.

Server time comes from gunicorn's access log (`%(M)s`, the request's duration in the worker),
matched to each request by the X-Request-ID the client sends; the client's wall time is kept
too.
"""

import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import psutil
import requests

ACCESS = re.compile(r" (\d+)ms request_id=([A-Za-z0-9._-]+)")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class StaleWorkerError(RuntimeError):
    """A worker answered a plain page with an error right after start."""


class Server:
    """gunicorn -c gunicorn.conf.py, bound to 127.0.0.1:`port`, its log in `log_path`."""

    def __init__(self, root: Path, env: dict, port: int, workers: int, log_path: Path):
        self.root, self.port, self.log_path = root, port, log_path
        self.env = {
            **env,
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_TIMEOUT": "600",
        }
        self.process: subprocess.Popen | None = None
        self.offset = 0
        self.peak_rss: dict[str, int] = {}
        self._phase = "start"
        self._stop = threading.Event()
        self.memory_error = ""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("w")
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        self.process = subprocess.Popen(
            [gunicorn, "-c", "gunicorn.conf.py"], cwd=self.root, env=self.env,
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:  # e.g. the port is taken
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                if requests.get(self.base + "/healthz", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.3)
        else:
            self.stop()
            raise RuntimeError(f"gunicorn did not start; see {self.log_path}")
        # Every worker must answer a page: a worker that read the static files' manifest while
        # another process was rewriting it answers 500 for good.
        for _ in range(4 * int(self.env["WEB_CONCURRENCY"])):
            page = requests.get(
                self.base + "/accounts/login/", headers={"X-Forwarded-Proto": "https"}, timeout=30
            )
            if page.status_code != 200:
                self.stop()
                raise StaleWorkerError(page.status_code)
        threading.Thread(target=self._watch_memory, daemon=True).start()

    def phase(self, name: str) -> None:
        """Attribute the worker memory seen from now on to `name`."""
        self._phase = name

    def _watch_memory(self) -> None:
        while not self._stop.is_set():
            try:
                master = psutil.Process(self.process.pid)
                rss = max((w.memory_info().rss for w in master.children()), default=0)
            except psutil.Error as error:
                self.memory_error = repr(error)
                rss = 0
            if rss > self.peak_rss.get(self._phase, 0):
                self.peak_rss[self._phase] = rss
            time.sleep(0.1)

    def server_times(self) -> dict[str, float]:
        """request id -> milliseconds, from the access log lines written since the last call."""
        with self.log_path.open() as log:
            log.seek(self.offset)
            text = log.read()
            self.offset = log.tell()
        return {rid: float(ms) for ms, rid in ACCESS.findall(text)}

    def stop(self) -> None:
        self._stop.set()
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


class Client:
    """One signed-in browser (session) or API client (JWT) behind a TLS proxy."""

    def __init__(self, base: str):
        self.base = base
        self.http = requests.Session()
        self.cookies: dict[str, str] = {}
        self.jwt = ""
        self.jwt_at = 0.0
        self.credentials: tuple[str, str] = ("", "")

    def _headers(self, extra: dict | None, api: bool) -> dict:
        headers = {
            "X-Forwarded-Proto": "https",
            "Referer": self.base.replace("http://", "https://") + "/",
            "X-Request-ID": uuid.uuid4().hex,
        }
        if api:
            if time.monotonic() - self.jwt_at > 600:  # tokens live 15 minutes
                self.token(*self.credentials)
            headers["Authorization"] = f"Bearer {self.jwt}"
        elif self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        return {**headers, **(extra or {})}

    def request(self, method: str, path: str, *, api=False, headers=None, **kwargs):
        """Send it; return (response, request id, wall milliseconds)."""
        sent = self._headers(headers, api)
        started = time.perf_counter()
        response = self.http.request(
            method, self.base + path, headers=sent, allow_redirects=False, timeout=600, **kwargs
        )
        _body = response.content
        wall = (time.perf_counter() - started) * 1000
        self.cookies.update(response.cookies.get_dict())
        self.http.cookies.clear()  # Secure cookies are carried by hand, above
        return response, sent["X-Request-ID"], wall

    def login(self, username: str, password: str) -> None:
        page, _rid, _ms = self.request("GET", "/accounts/login/")
        token = CSRF_INPUT.search(page.text).group(1)
        done, _rid, _ms = self.request(
            "POST", "/accounts/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        )  # fmt: skip
        if done.status_code != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in refused: {done.status_code} {done.text[:300]}")
        self.credentials = (username, password)

    def token(self, username: str, password: str) -> None:
        self.credentials = (username, password)
        response = self.http.post(
            self.base + "/api/v1/auth/token/",
            json={"username": username, "password": password},
            headers={"X-Forwarded-Proto": "https"}, timeout=60,
        )  # fmt: skip
        response.raise_for_status()
        self.jwt, self.jwt_at = response.json()["access"], time.monotonic()


def pos_client(args: tuple) -> dict:
    """One counter client in its own process: post counter sales for `seconds`; return what
    it measured."""
    base, jwt, location, products, seconds, seed = args
    import random

    pick = random.Random(seed)
    http = requests.Session()
    headers = {"X-Forwarded-Proto": "https", "Authorization": f"Bearer {jwt}"}
    latencies, failures = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        lines = [{"product": p, "quantity": "1"} for p in pick.sample(products, 3)]
        body = {
            "token": str(uuid.uuid4()), "location": location, "lines": lines,
            "payment_method": "card",
        }  # fmt: skip
        started = time.perf_counter()
        response = http.post(base + "/api/v1/counter-sales/", json=body, headers=headers)
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status_code != 201:
            failures += 1
    return {"latencies": latencies, "failures": failures, "pid": os.getpid()}
