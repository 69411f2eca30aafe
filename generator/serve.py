"""The preview server: builds the preview once, then rebuilds only the pages a saved file changes."""

from __future__ import annotations

import contextlib
import ipaddress
import re
import shutil
import socket
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from . import publish, site
from .build import Stages, build_sites, preview_inputs, site_key_dir, with_config
from .check import Context, Report, assemble, check_file, declaration_files
from .config import Project
from .model import Document
from .problems import Problem
from .render import PORTAL, Corpus, Renderer

RELOAD_SCRIPT = b"""<script>
(function () {
  var version = %d;
  function wait() {
    fetch("/__disclose/wait?since=" + version + "&path=" + encodeURIComponent(location.pathname))
      .then(function (r) { return r.json(); })
      .then(function (d) { if (d.reload) { location.reload(); } else { version = d.version; wait(); } })
      .catch(function () { setTimeout(wait, 1000); });
  }
  wait();
})();
</script>"""

HEADER_TIMEOUT = 5.0  # seconds a connection may stay silent: a half-sent request must not hold a thread
HEAD_DEADLINE = 2 * HEADER_TIMEOUT  # seconds for the whole request head, however slowly it trickles in
MAX_LONG_POLLS = 32  # open live-reload waits (a tab each); more are answered 503 and retried by the script
MAX_PATH = 2048  # longer request targets are refused (414) before they reach the filesystem
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class PageRef:
    """A page by site and source path, and the URL it is served at."""

    site: str
    src: str

    @property
    def url(self) -> str:
        base = "/" if self.site == PORTAL else f"/{self.site}/"
        name = self.src.removesuffix(".md")
        return base if name == "index" else f"{base}{name.removesuffix('/index')}/"


class Preview:
    """The preview's state: each file's latest load and check, the rendered pages and the built tree."""

    def __init__(self, project: Project, root: Path, quiet: bool = False):
        self.project, self.root, self.quiet = project, root, quiet
        self.results: dict[Path, tuple[Document | None, list[Problem]]] = {}
        self.sites: dict[str, site.IncrementalSite] = {}
        self.version = 0
        self.changed: dict[int, set[str]] = {}
        self.pages: set[PageRef] = set()
        self.texts: dict[PageRef, str] = {}  # what each page's Markdown was at its last build
        self.memo: dict[Any, str] = {}
        self.lock = threading.Condition()

    @property
    def tree(self) -> Path:
        return self.root / "site"

    @property
    def work(self) -> Path:
        return self.root / "work"

    def _context(self) -> Context:
        return Context(self.project.levels, self.project.content)

    def _report(self, files: list[Path]) -> Report:
        return with_config(self.project, assemble(files, [self.results[f] for f in files]))

    def full_build(self) -> None:
        """Check every file and build every site; then keep each site loaded for page rebuilds."""
        self.project = Project(self.project.root)  # settings or vocabulary may have changed
        files = declaration_files([self.project.content]) if self.project.content.exists() else []
        self.results = {path: check_file(path, self._context()) for path in files}
        docs, options, broken = preview_inputs(self._report(files))
        for problem in self.project.config.problems:  # site_config/ changed while serving
            print(f"disclose serve: {problem.format()}", file=sys.stderr, flush=True)
        staging = publish.staging_dir(self.tree)
        try:
            stages = Stages(quiet=self.quiet, parallel=False)  # no fork() from a threaded server
            built = build_sites(self.project, stages, docs, options, self.work, staging, broken)
            publish.swap_in(built, self.tree)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        self.memo = {}
        self.texts = self._render()
        self.pages = set(self.texts)
        self.sites = {}
        for key_dir in sorted(p.parent.name for p in self.work.glob("*/mkdocs.yml")):
            key = "" if key_dir == "portal" else key_dir
            self.sites[key] = site.IncrementalSite(self.work / key_dir / "mkdocs.yml", self.tree / key)
        self._bump({"*"})

    def _bump(self, urls: set[str]) -> None:
        with self.lock:
            self.version += 1
            self.changed[self.version] = urls
            self.lock.notify_all()

    def update(self, paths: Iterable[Path]) -> None:
        """Reload the changed declaration files and rebuild just the pages they affect."""
        for path in paths:
            if path.exists():
                self.results[path] = check_file(path, self._context())
            else:
                self.results.pop(path, None)
        wanted = self._render()
        if set(wanted) != self.pages:
            self.full_build()  # a page appeared or disappeared: the sites' file lists change
            return
        changed = [ref for ref, text in wanted.items() if self._write(ref, text)]
        by_site: dict[str, list[str]] = {}
        for ref in changed:
            by_site.setdefault(ref.site, []).append(ref.src)
        for key, srcs in by_site.items():
            if key not in self.sites or not self.sites[key].rebuild(srcs):
                self.full_build()
                return
        self._bump({ref.url for ref in changed})

    def _render(self) -> dict[PageRef, str]:
        """Every page the renderer makes for the current results, by site and source path."""
        docs, options, broken = preview_inputs(self._report(sorted(self.results)))
        renderer = Renderer(self.project.levels, options, self.project.settings, self.memo)
        return {PageRef(key, src): text
                for key, pages in renderer.sites(Corpus.of(docs, broken)).items() for src, text in pages.items()}

    def _write(self, ref: PageRef, text: str) -> bool:
        if self.texts.get(ref) == text:
            return False
        (self.work / site_key_dir(ref.site) / "docs" / ref.src).write_text(text, encoding="utf-8")
        self.texts[ref] = text
        return True

    def wait(self, since: int, path: str, timeout: float = 25.0) -> dict[str, Any]:
        """Block until a change newer than `since` concerns `path` (or the timeout passes)."""
        path = path.removesuffix("index.html")
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                newer = [urls for version, urls in self.changed.items() if version > since]
                if any("*" in urls or path in urls for urls in newer):
                    return {"reload": True, "version": self.version}
                since = self.version  # changes elsewhere do not concern this page
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return {"reload": False, "version": self.version}
                self.lock.wait(remaining)


class Handler(SimpleHTTPRequestHandler):
    """Serves the preview tree; HTML pages get a small live-reload script, never written to disk.

    The preview holds drafts and unmasked personal data: only requests addressed to this server by a
    name that cannot be rebound (see allowed_host) are answered, malformed ones get a 4xx.
    """

    preview: Preview
    polls: threading.BoundedSemaphore
    timeout = HEADER_TIMEOUT  # socketserver applies it to every read and write of the connection
    default_request_version = "HTTP/1.0"  # an unparsable request line still gets a status line (not 0.9's bare body)

    def setup(self) -> None:
        super().setup()
        # A byte every few seconds never trips the silence timeout: past the deadline the socket is shut,
        # which ends the read of the request head (the handler then closes the connection).
        self._deadline = threading.Timer(HEAD_DEADLINE, self._cut)
        self._deadline.daemon = True
        self._deadline.start()

    def _cut(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def finish(self) -> None:
        self._deadline.cancel()
        super().finish()

    def parse_request(self) -> bool:
        self._deadline.cancel()  # the head has arrived: the answer (a long-poll, say) may take its time
        if not super().parse_request():
            return False
        if not allowed_host(self.headers.get("Host"), self.server.server_address):
            self.send_error(421, "Misdirected Request: this preview answers only to its own address")
            return False
        return True

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        refused = _refusal(self.path, url.path)
        if refused:
            self.send_error(refused)
            return
        if url.path == "/__disclose/wait":
            self._long_poll(url.query)
            return
        target = Path(self.translate_path(url.path))
        if target.is_dir() and (target / "index.html").exists() and url.path.endswith("/"):
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            body = target.read_bytes().replace(b"</body>", RELOAD_SCRIPT % self.preview.version + b"</body>", 1)
            self._send(200, "text/html; charset=utf-8", body)
            return
        super().do_GET()

    def do_HEAD(self) -> None:
        refused = _refusal(self.path, urlsplit(self.path).path)
        if refused:
            self.send_error(refused)
            return
        super().do_HEAD()

    def _long_poll(self, query: str) -> None:
        params = parse_qs(query)
        since = params.get("since", ["0"])[0] or "0"
        if not since.isascii() or not since.isdigit() or len(since) > 18:
            self.send_error(400, "since must be a version number")
            return
        if not self.polls.acquire(blocking=False):  # every thread waiting here is one a page cannot use
            self.send_error(503, "Too many live-reload connections")
            return
        try:
            answer = self.preview.wait(int(since), params.get("path", ["/"])[0])
        finally:
            self.polls.release()
        self._send(200, "application/json", _json(answer))

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the console is for problems, not for every request


def _refusal(target: str, path: str) -> int | None:
    """The 4xx for a request target the filesystem must not see (too long, control characters), if any."""
    if len(target) > MAX_PATH:
        return 414
    return 400 if _CONTROL.search(unquote(path)) or _CONTROL.search(target) else None


_LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")
_HOST = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$")


def allowed_host(header: str | None, bound: Any) -> bool:
    """Whether a Host header names this server so that DNS rebinding cannot have produced it.

    A page from evil.example whose name is rebound to 127.0.0.1 still sends "Host: evil.example":
    only the loopback names, the bound address and, when bound to every interface, IP literals pass,
    each with the server's port (or none, on port 80).
    """
    if not header or not _HOST.match(header):  # a name or an address, a port: no user@, no spaces
        return False
    try:
        parsed = urlsplit(f"//{header}")
        hostname, port = parsed.hostname, parsed.port
    except ValueError:  # a port that is no number, an unclosed [
        return False
    bound_host, bound_port = str(bound[0]), int(bound[1])
    if hostname is None or (port != bound_port and not (port is None and bound_port == 80)):
        return False
    if hostname in (*_LOCAL_NAMES, bound_host):
        return True
    return _is_ip(bound_host) and ipaddress.ip_address(bound_host).is_unspecified and _is_ip(hostname)


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A tab that reloads or navigates drops its connection mid-answer: that is no error to show.
        Anything else is one line, never a traceback over the preview's console."""
        err = sys.exc_info()[1]
        if isinstance(err, (ConnectionError, TimeoutError)):
            return
        print(f"disclose serve: 请求处理出错（{client_address[0]}）：{err!r}", file=sys.stderr, flush=True)


def _json(value: dict[str, Any]) -> bytes:
    import json

    return json.dumps(value).encode()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def watch(preview: Preview, interval: float = 0.2) -> None:
    """Poll the watched folders' mtimes (no dependency, works on every filesystem) and apply changes."""
    project = preview.project
    seen = _snapshot(project)
    while True:
        time.sleep(interval)
        now = _snapshot(project)
        changed = {p for p in set(seen) | set(now) if seen.get(p) != now.get(p)}
        seen = now
        if not changed:
            continue
        started = time.perf_counter()
        content = project.content.resolve()
        try:
            if all(p.is_relative_to(content) and p.suffix in (".yaml", ".yml") for p in changed):
                rel = [project.content / p.relative_to(content) for p in changed]
                preview.update(rel)
            else:
                preview.full_build()
        except Exception as err:  # the server must survive whatever a save does to the build
            print(f"disclose serve: 更新失败：{err}", file=sys.stderr, flush=True)
            continue
        names = "、".join(sorted(p.name for p in changed))
        print(f"disclose serve: 已更新 {names}（{time.perf_counter() - started:.2f} 秒）", file=sys.stderr, flush=True)


def _snapshot(project: Project) -> dict[Path, tuple[float, int]]:
    out: dict[Path, tuple[float, int]] = {}
    roots = [project.content, project.root / "theme", project.site_config]
    files = [p for r in roots if r.exists() for p in r.rglob("*") if p.is_file()]
    files += [p for p in [project.root / "mkdocs.yml"] if p.exists()]
    for path in files:
        try:
            st = path.stat()
        except OSError:
            continue
        out[path.resolve()] = (st.st_mtime, st.st_size)
    return out


def serve(project: Project, host: str, port: int, quiet: bool = False) -> None:
    preview = Preview(project, project.build / "serve", quiet=quiet)
    preview.full_build()
    handler = type("BoundHandler", (Handler,), {"preview": preview,
                                                "polls": threading.BoundedSemaphore(MAX_LONG_POLLS)})
    server = PreviewServer((host, port), partial(handler, directory=str(preview.tree)))
    threading.Thread(target=watch, args=(preview,), daemon=True).start()
    shown = f"[{host}]" if ":" in host else host
    print(f"disclose serve: 预览服务已启动 http://{shown}:{server.server_address[1]}/（Ctrl+C 退出）",
          file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
