"""A real PostgreSQL server for the tests, started and thrown away by the tests themselves.

``ThrowawayPostgres`` runs ``initdb`` into a new temporary directory, starts the server on
127.0.0.1 at a free port (its unix socket beside the data, never in /run/postgresql) and, on
exit, stops it at once and deletes the directory. Nothing outside that directory and that port
is touched, so several test sessions on one machine (CI runs three at once) each have their own.

- **Who runs it.** ``initdb`` and the server refuse to run as root. As root (CI, the tests'
  machines) they run as the ``postgres`` system user, which owns the directory; as anyone else
  they run as that user. ``cannot_start()`` says why neither is possible, or None.
- **Where.** The directory comes from ``tempfile``, not pytest's ``tmp_path``: pytest makes its
  folders readable by their owner only, so ``postgres`` could not reach a data directory there.
- **Which clock.** The server gets the tests' environment without libfaketime (``LD_PRELOAD``,
  ``FAKETIME*``): it runs on the real clock even when CI moves the tests' one. The bot's tests
  inject their own clock, so the server's does not matter, but a server whose timeouts and
  statistics see years jump is not one to test against.
- **Speed.** No fsync and no full-page writes (a crash loses a throwaway database, which is
  fine), so it starts in about a second. ``make_database`` then gives each test its own database
  in a few tens of milliseconds (``CREATE DATABASE``, optionally from a template), and
  ``drop_database`` removes it even while connections linger (``WITH (FORCE)``).

The port is found by binding port 0 and closing the socket just before the server binds it;
another process could take it in between, in which case the start fails with the server's log
saying so ("Address already in use").
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from urllib.parse import quote, urlsplit
from uuid import uuid4

import psycopg
from psycopg import sql

DEBIAN_LAYOUT = Path("/usr/lib/postgresql")
"""Where Debian and Ubuntu install each major version's server (``<version>/bin``)."""
SERVER_USER = "postgres"
"""The system user the server runs as when the tests run as root."""
TEST_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "shared_buffers": "32MB",
}
"""postgresql.conf lines for a loopback-only server that trades durability for speed."""


def find_binaries() -> Path | None:
    """The bin directory of the newest installed PostgreSQL server, or None if there is none."""
    found = [path.parent for path in DEBIAN_LAYOUT.glob("*/bin/initdb")]
    pg_config = shutil.which("pg_config")
    if pg_config:
        done = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if done.returncode == 0:
            found.append(Path(done.stdout.strip()))
    servers = [path for path in found if (path / "initdb").exists() and (path / "pg_ctl").exists()]
    return max(servers, key=major_version, default=None)


def major_version(bin_dir: Path) -> int:
    """The major version a bin directory's path names (``/usr/lib/postgresql/15/bin``), or 0."""
    numbers = [int(part) for part in bin_dir.parts if part.isdigit()]
    return numbers[-1] if numbers else 0


def cannot_start() -> str | None:
    """Why ``ThrowawayPostgres`` cannot start a server here, or None when it can."""
    if find_binaries() is None:
        return f"no PostgreSQL server installed (no initdb in {DEBIAN_LAYOUT}/*/bin or pg_config)"
    if os.geteuid() == 0 and SERVER_USER not in {user.pw_name for user in pwd.getpwall()}:
        return f"running as root, and there is no {SERVER_USER!r} user to run PostgreSQL as"
    return None


def server_user() -> pwd.struct_passwd | None:
    """The user to run the server as instead of us, or None to run it as ourselves."""
    return pwd.getpwnam(SERVER_USER) if os.geteuid() == 0 else None


def server_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` without libfaketime, so the server runs on the real clock."""
    return {
        name: value
        for name, value in environ.items()
        if name != "LD_PRELOAD" and not name.startswith("FAKETIME")
    }


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on at this moment."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayPostgres:
    """A PostgreSQL server in a temporary directory, for as long as the ``with`` block lasts.

    ``with ThrowawayPostgres() as server:`` gives ``server.url``, the superuser's URL for the
    ``postgres`` database (no password: only local connections, all trusted), and ``server.pid``,
    the postmaster's process id. ``settings`` adds postgresql.conf lines (values as the file
    writes them, strings quoted). A failed ``initdb`` or start raises ``RuntimeError`` with the
    server's own output and log, and leaves nothing behind. ``root`` is the directory: the
    cluster in ``data``, the unix socket in ``sockets``, the server's log in ``server.log``.
    """

    root: Path

    def __init__(self, settings: Mapping[str, str] | None = None) -> None:
        bin_dir = find_binaries()
        if bin_dir is None:
            raise RuntimeError(cannot_start())
        self.bin_dir = bin_dir
        self.settings = {**TEST_SETTINGS, **(settings or {})}
        self.port = 0
        self.pid = 0

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def sockets(self) -> Path:
        return self.root / "sockets"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def __enter__(self) -> ThrowawayPostgres:
        self.root = Path(tempfile.mkdtemp(prefix="movienight-postgres-"))
        try:
            self._prepare()
            self._start()
        except BaseException:
            self._remove()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            stop = ["-D", str(self.data), "-m", "immediate", "-w"]
            self._check("pg_ctl stop", self._run("pg_ctl", "stop", *stop))
        finally:
            self._remove()

    def _prepare(self) -> None:
        """The directory, owned by the server's user; the cluster; its test settings."""
        self.sockets.mkdir()
        user = server_user()
        if user:
            for path in (self.root, self.sockets):
                os.chown(path, user.pw_uid, user.pw_gid)
        initdb = ["-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
        self._check("initdb", self._run("initdb", *initdb, "--locale=C", "--no-sync"))
        lines = {**self.settings, "unix_socket_directories": f"'{self.sockets}'"}
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.writelines(f"{name} = {value}\n" for name, value in lines.items())

    def _start(self) -> None:
        self.port = free_port()
        start = ["-D", str(self.data), "-l", str(self.log), "-w", "-o", f"-p {self.port}"]
        self._check("pg_ctl start", self._run("pg_ctl", "start", *start))
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        """A server program, as the server's user, on the real clock, in the directory."""
        user = server_user()
        return subprocess.run(
            [str(self.bin_dir / program), *args],
            cwd=self.root,
            env=server_environment(os.environ),
            capture_output=True,
            text=True,
            timeout=120,  # pg_ctl gives up after 60 s itself, and says why
            check=False,
            user=user.pw_uid if user else None,
            group=user.pw_gid if user else None,
            extra_groups=[] if user else None,
        )

    def _check(self, what: str, done: subprocess.CompletedProcess[str]) -> None:
        if done.returncode == 0:
            return
        log = self.log.read_text(errors="replace") if self.log.exists() else "(no log)"
        raise RuntimeError(
            f"{what} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}\n"
            f"--- the server's log:\n{log}"
        )

    def _remove(self) -> None:
        shutil.rmtree(self.root)


def database_url(admin_url: str, name: str) -> str:
    """``admin_url`` with its database replaced by ``name``."""
    return urlsplit(admin_url)._replace(path="/" + quote(name, safe="")).geturl()


def make_database(admin_url: str, name: str, template: str | None = None) -> str:
    """Create database ``name`` (a copy of ``template``, or else of template1); its URL.

    A template must have no open connections while it is copied (PostgreSQL's rule).
    """
    create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        create = sql.SQL("{} TEMPLATE {}").format(create, sql.Identifier(template))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(create)
    return database_url(admin_url, name)


def drop_database(admin_url: str, name: str) -> None:
    """Drop database ``name`` if it exists, closing any connections still open to it."""
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(drop)


@contextmanager
def fresh_databases(admin_url: str) -> Iterator[Callable[..., str]]:
    """A factory of new databases on ``admin_url``'s server, all dropped when the block ends.

    ``fresh(template=None)`` creates a database with a name no other session uses and returns
    its URL.
    """
    made: list[str] = []

    def fresh(template: str | None = None) -> str:
        name = f"movienight_test_{uuid4().hex[:16]}"
        made.append(name)
        return make_database(admin_url, name, template)

    try:
        yield fresh
    finally:
        for name in made:
            drop_database(admin_url, name)
