"""Run deploy/nginx/legeplan.conf, the production proxy config, on loopback in front of Streamlit processes.

Used by the proxy tests (tests/test_proxy_headers.py, tests/browser/test_proxy_csp_browser.py): the config
file is taken as it is, and only the lines a kommune fills in are replaced (`render`): the upstream's
`server` lines, the `listen` lines, and the certificate paths (a throw-away self-signed certificate).
Everything else, headers and CSP included, is what a kommune deploys.
"""

from __future__ import annotations

import contextlib
import getpass
import grp
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "deploy" / "nginx" / "legeplan.conf"
NGINX = "/usr/sbin/nginx"
OPENSSL = "/usr/bin/openssl"
START_TIMEOUT = 15.0

_UPSTREAM_SERVER = re.compile(r"^(\s*)server 127\.0\.0\.1:\d+;\n", re.MULTILINE)
_LISTEN_TLS = re.compile(r"^\s*listen (?:\[::\]:)?443 ssl http2;\n", re.MULTILINE)
_LISTEN_HTTP = re.compile(r"^\s*listen (?:\[::\]:)?80;\n", re.MULTILINE)
_CERT = re.compile(r"^(\s*ssl_certificate)(\s+)\S+;", re.MULTILINE)
_KEY = re.compile(r"^(\s*ssl_certificate_key)(\s+)\S+;", re.MULTILINE)


def missing() -> str | None:
    """Why the proxy cannot run here (a reason for pytest.skip), or None."""
    if not os.access(NGINX, os.X_OK):
        return f"{NGINX} is not installed (make test installs Debian's nginx-light)"
    if not os.access(OPENSSL, os.X_OK):
        return f"{OPENSSL} is not installed (it makes the test's self-signed certificate)"
    return None


def _sub_exactly(pattern: re.Pattern[str], repl: str, text: str, count: int, what: str) -> str:
    new, n = pattern.subn(repl, text)
    if n != count:
        raise ValueError(f"{CONF.name}: expected {count} {what}, found {n}; update tools/proxy.py with it")
    return new


def render(conf: str, upstream_ports: Sequence[int], tls_port: int, http_port: int, cert: Path, key: Path) -> str:
    """The config with the kommune's placeholders replaced for a loopback run."""
    first = _UPSTREAM_SERVER.search(conf)
    if first is None:
        raise ValueError(f"{CONF.name}: no upstream `server 127.0.0.1:PORT;` line")
    indent = first.group(1)
    servers = "".join(f"{indent}server 127.0.0.1:{port};\n" for port in upstream_ports)
    conf = _UPSTREAM_SERVER.sub("", conf)
    conf = conf[:first.start()] + servers + conf[first.start():]
    conf = _sub_exactly(_LISTEN_TLS, f"    listen 127.0.0.1:{tls_port} ssl http2;\n", conf, 2, "TLS listen lines")
    conf = _sub_exactly(_LISTEN_HTTP, f"    listen 127.0.0.1:{http_port};\n", conf, 2, "HTTP listen lines")
    conf = _sub_exactly(_CERT, rf"\g<1>\g<2>{cert};", conf, 1, "ssl_certificate lines")
    conf = _sub_exactly(_KEY, rf"\g<1>\g<2>{key};", conf, 1, "ssl_certificate_key lines")
    # the IPv4 and IPv6 listen lines both became the same loopback line: keep one of each server's
    return re.sub(r"^(    listen 127\.0\.0\.1:\d+(?: ssl http2)?;\n)\1", r"\1", conf, flags=re.MULTILINE)


def self_signed(workdir: Path) -> tuple[Path, Path]:
    """A throw-away certificate for 127.0.0.1 (the browser test ignores its issuer)."""
    cert, key = workdir / "cert.pem", workdir / "key.pem"
    subprocess.run([OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=60)
    return cert, key


def main_conf(workdir: Path, site: str) -> str:
    """A complete nginx.conf that runs `site` in the foreground with every path under `workdir`."""
    user = getpass.getuser()
    group = grp.getgrgid(os.getgid()).gr_name
    temp = "\n".join(f"    {name}_temp_path {workdir / name};" for name in
                     ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # `user` only counts when nginx starts as root (then its workers stay this user, who owns workdir)
    return (f"user {user} {group};\nworker_processes 1;\ndaemon off;\npid {workdir / 'nginx.pid'};\n"
            f"error_log {workdir / 'error.log'} warn;\nevents {{ worker_connections 256; }}\n"
            f"http {{\n    access_log off;\n{temp}\n    include /etc/nginx/mime.types;\n"
            f"    default_type application/octet-stream;\n{site}\n}}\n")


def _answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False


@contextlib.contextmanager
def nginx(workdir: Path, upstream_ports: Sequence[int], tls_port: int, http_port: int) -> Iterator[Path]:
    """Start nginx with deploy/nginx/legeplan.conf on 127.0.0.1:`tls_port` (HTTPS) and `http_port`; yields
    the written nginx.conf and stops nginx afterwards."""
    cert, key = self_signed(workdir)
    conf_path = workdir / "nginx.conf"
    conf_path.write_text(main_conf(workdir, render(CONF.read_text(encoding="utf-8"), upstream_ports,
                                                   tls_port, http_port, cert, key)), encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-c", str(conf_path), "-e", str(workdir / "error.log")],
                           capture_output=True, text=True, timeout=30)
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t refused the config:\n{check.stderr}")
    log = open(workdir / "nginx.out", "wb")  # noqa: SIM115 (closed in finally)
    proc = subprocess.Popen([NGINX, "-c", str(conf_path), "-e", str(workdir / "error.log")],
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(tls_port):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start:\n{(workdir / 'error.log').read_text()}")
            time.sleep(0.1)
        yield conf_path
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGQUIT)  # graceful stop of master and workers
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        log.close()
