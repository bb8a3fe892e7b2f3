"""Start the portal as it runs for real, for the tests and benchmarks that need real servers:
a fresh site in its own directory, gunicorn (and nginx) on free ports, and a browser-like client.

Used by tests/feedback/test_workers.py (two gunicorn workers), tests/portal/test_multi_server.py
(two servers on one PostgreSQL and Redis), tests/portal/test_production_smoke.py (the demo under
production settings behind nginx) and the benchmarks in bench/.
"""

import contextlib
import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
GUNICORN = PYTHON.parent / "gunicorn"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Variables of the calling environment that would point a server at the wrong stores.
_NOT_INHERITED = {
    "DATABASE_URL",
    "REDIS_URL",
    "RATE_LIMIT_CACHE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
    "SEARCH_URL",
}


def free_port():
    """A localhost TCP port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(var_dir, settings="portal.settings.dev", **variables):
    """The environment of a portal process whose files all live under `var_dir`.

    `variables` (DATABASE_URL, REDIS_URL, limits…) are added as given; None leaves one out."""
    var_dir = Path(var_dir)
    env = {key: value for key, value in os.environ.items() if key not in _NOT_INHERITED}
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        SECRET_KEY=secrets.token_urlsafe(50),
        PORTAL_VAR_DIR=str(var_dir),
        PORTAL_PRIVATE_ROOT=str(var_dir / "private"),
        MEDIA_ROOT=str(var_dir / "media"),
        PORTAL_SEARCH_INDEX_DIR=str(var_dir / "search_index"),
        LOG_LEVEL="WARNING",
    )
    env.update({key: str(value) for key, value in variables.items() if value is not None})
    return env


def manage(env, *args, timeout=900):
    """Run `manage.py args…` in `env`; fails loudly."""
    return subprocess.run(  # noqa: S603
        [str(PYTHON), "manage.py", *args], env=env, cwd=ROOT, check=True, timeout=timeout
    )


def run_python(env, code, timeout=600):
    """Run Python `code` (after `django.setup()`) in `env`; its standard output."""
    script = "import django\ndjango.setup()\n" + code
    return subprocess.run(  # noqa: S603
        [str(PYTHON), "-c", script],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=timeout,
        capture_output=True,
        text=True,
    ).stdout


def get(port, path, headers=None, host="127.0.0.1", timeout=30):
    """One GET: (status, headers as a dict with lower-case names, body bytes)."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def wait_for(port, path="/healthz/", process=None, timeout=120, headers=None):
    """Wait until `path` answers (any status below 500) on `port`."""
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server stopped (exit status {process.returncode})")
        try:
            status, _headers, body = get(port, path, headers=headers, timeout=5)
            if status < 500:
                return
            last = f"{status}: {body[:300]!r}"
        except OSError as error:
            last = repr(error)
        time.sleep(0.3)
    raise RuntimeError(f"the server on port {port} did not answer {path}: {last}")


@contextlib.contextmanager
def gunicorn(env, port, *options, workers=2, ready_path="/healthz/", ready_headers=None):
    """gunicorn serving the portal on 127.0.0.1:`port` while the block runs."""
    if not GUNICORN.exists():
        raise RuntimeError(f"gunicorn is not installed at {GUNICORN}")
    process = subprocess.Popen(  # noqa: S603
        [
            str(GUNICORN),
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            *options,
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_for(port, ready_path, process, headers=ready_headers)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def nginx_available():
    return Path(NGINX).exists()


@contextlib.contextmanager
def nginx(config, directory):
    """nginx running `config` (the text of a whole nginx.conf) with `directory` as its prefix
    (logs, temporary files), in the foreground while the block runs."""
    directory = Path(directory)
    (directory / "logs").mkdir(parents=True, exist_ok=True)
    conf = directory / "nginx.conf"
    conf.write_text(config)
    subprocess.run([NGINX, "-t", "-q", "-p", str(directory), "-c", str(conf)], check=True)  # noqa: S603
    process = subprocess.Popen(  # noqa: S603
        [NGINX, "-p", str(directory), "-c", str(conf), "-g", "daemon off;"]
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class Browser:
    """One visitor's browser: its cookies and its (forwarded) address."""

    def __init__(self, port, address="127.0.0.1", host=None):
        self.port, self.address, self.host, self.cookies = port, address, host, {}

    def request(self, method, path, form=None, headers=None, raw=False):
        """(status, text) — or (status, headers, bytes) with `raw`."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"X-Forwarded-For": self.address, **(headers or {})}
        if self.host:
            headers["Host"] = self.host
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _sep, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        conn.close()
        if raw:
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        return response.status, data.decode("utf-8", "replace")

    def post_form(self, path, fields):
        """GET the form (CSRF cookie and token), then POST `fields` with the token."""
        status, html = self.request("GET", path)
        assert status == 200, html[:500]
        token = TOKEN_RE.search(html).group(1)
        return html, self.request("POST", path, {"csrfmiddlewaretoken": token, **fields})


def portal_nginx_config(
    directory, upstream_ports, http_port, https_port, static_root, media_root, private_root=None
):
    """A whole nginx.conf around deploy/nginx-portal.conf, with a self-signed certificate for
    localhost made under `directory` (the site file is used as shipped, its values filled in).
    `private_root` (PORTAL_PRIVATE_ROOT) is beside `media_root` unless given."""
    import string

    directory = Path(directory)
    (directory / "logs").mkdir(parents=True, exist_ok=True)
    cert, key = directory / "tls.crt", directory / "tls.key"
    if not cert.exists():
        subprocess.run(  # noqa: S603
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
            + ["-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
            check=True,
            capture_output=True,
        )
    site = string.Template((ROOT / "deploy" / "nginx-portal.conf").read_text()).safe_substitute(
        SERVER_NAME="localhost",
        HTTP_PORT=http_port,
        HTTPS_PORT=https_port,
        TLS_CERT=cert,
        TLS_KEY=key,
        UPSTREAMS=" ".join(f"server 127.0.0.1:{port};" for port in upstream_ports),
        STATIC_ROOT=static_root,
        MEDIA_ROOT=media_root,
        PORTAL_PRIVATE_ROOT=private_root or Path(media_root).parent / "private",
        LOG_DIR=directory / "logs",
        CACHE_DIR=directory / "cache",
    )
    # As root nginx's workers would run as nobody, who cannot read the test's private temporary
    # directories.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}pid {directory}/nginx.pid;\nerror_log {directory}/logs/error.log warn;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        "include /etc/nginx/mime.types;\ndefault_type application/octet-stream;\n"
        f"client_body_temp_path {directory}/body;\nproxy_temp_path {directory}/proxy;\n"
        f"fastcgi_temp_path {directory}/fastcgi;\nuwsgi_temp_path {directory}/uwsgi;\n"
        f"scgi_temp_path {directory}/scgi;\naccess_log {directory}/logs/access.log;\n"
        f"{site}\n}}\n"
    )


@contextlib.contextmanager
def portal_behind_nginx(env, var_dir, https_port=None, workers=2, ready_headers=None):
    """gunicorn serving `env` behind nginx with deploy/nginx-portal.conf, its static files and
    media under `var_dir`, while the block runs: yields (http port, https port)."""
    app_port, http_port, https_port = free_port(), free_port(), https_port or free_port()
    config = portal_nginx_config(
        Path(var_dir) / "nginx",
        [app_port],
        http_port,
        https_port,
        static_root=Path(var_dir) / "static",
        media_root=Path(var_dir) / "media",
    )
    ready = ready_headers or {"Host": "localhost", "X-Forwarded-Proto": "https"}
    with (
        gunicorn(env, app_port, workers=workers, ready_headers=ready),
        nginx(config, Path(var_dir) / "nginx"),
    ):
        wait_for(http_port, "/", timeout=30, headers={"Host": "localhost"})
        yield http_port, https_port


def https_get(port, path, headers=None, host="localhost"):
    """One GET over TLS to a local server with a self-signed certificate: (status, headers with
    lower-case names, body bytes)."""
    import ssl

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=context)
    try:
        conn.request("GET", path, headers={"Host": host, **(headers or {})})
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()
