"""Throwaway PostgreSQL and Redis servers on free loopback ports, from the Debian binaries."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import redis


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pg_bin_dir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if not candidates:
        raise RuntimeError("PostgreSQL binaries missing: run scripts/install-test-services.sh")
    return Path(candidates[-1]).parent


def redis_binary() -> str:
    found = shutil.which("redis-server") or next(iter(glob.glob("/usr/bin/redis-server*")), None)
    if not found:
        raise RuntimeError("redis-server missing: run scripts/install-test-services.sh")
    return found


@dataclass
class Postgres:
    port: int
    datadir: Path
    prefix: list[str]

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        cmd = [str(pg_bin_dir() / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "stop"]
        subprocess.run([*self.prefix, *cmd], check=False, capture_output=True)
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


@dataclass(frozen=True)
class ServerTls:
    """A server certificate and key (PEM files) for a test server that accepts only TLS."""

    cert: Path
    key: Path


def _own_copy(source: Path, root: Path, owner: pwd.struct_passwd | None) -> Path:
    # PostgreSQL refuses a key other users can read, or one its own user does not own.
    target = root / source.name
    shutil.copyfile(source, target)
    target.chmod(0o600)
    if owner is not None:
        os.chown(target, owner.pw_uid, owner.pw_gid)
    return target


def start_postgres(tls: ServerTls | None = None) -> Postgres:
    """PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user. With
    `tls` it refuses every connection without TLS (Cloud SQL's ENCRYPTED_ONLY)."""
    prefix: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="lp-pg-"))
    datadir = root / "data"
    owner = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
    if owner is not None:
        prefix = ["runuser", "-u", "postgres", "--"]
        os.chown(root, owner.pw_uid, owner.pw_gid)
    bindir = pg_bin_dir()
    initdb = [str(bindir / "initdb"), "-D", str(datadir), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
    subprocess.run([*prefix, *initdb], check=True, capture_output=True)
    # Everyone is trusted except members of `password_login`, so credential rotation can be tested.
    hba = datadir / "pg_hba.conf"
    first = "host all +password_login 127.0.0.1/32 scram-sha-256\n"
    if tls is not None:
        first = "hostnossl all all 127.0.0.1/32 reject\n" + first.replace("host ", "hostssl ")
    hba.write_text(first + hba.read_text())
    port = free_port()
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    if tls is not None:
        cert, key = (_own_copy(path, root, owner) for path in (tls.cert, tls.key))
        options += f" -c ssl=on -c ssl_cert_file={cert} -c ssl_key_file={key}"
    start = [
        str(bindir / "pg_ctl"),
        "-D",
        str(datadir),
        "-o",
        options,
        "-l",
        str(root / "log"),
        "-w",
        "start",
    ]
    subprocess.run([*prefix, *start], check=True, capture_output=True)
    # The group pg_hba.conf names exists from the start, so no test depends on another having made it.
    ssl = " sslmode=require" if tls is not None else ""
    with psycopg.connect(
        f"host=127.0.0.1 port={port} user=postgres dbname=postgres{ssl}", autocommit=True
    ) as c:
        c.execute("CREATE ROLE password_login NOLOGIN")
    return Postgres(port=port, datadir=datadir, prefix=prefix)


@dataclass
class Redis:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(5)


def start_redis(tls: ServerTls | None = None, password: str | None = None) -> Redis:
    """With `tls` it speaks TLS only (Memorystore's SERVER_AUTHENTICATION); with `password`, AUTH."""
    port = free_port()
    listen = ["--port", str(port)]
    if tls is not None:
        listen = ["--port", "0", "--tls-port", str(port), "--tls-cert-file", str(tls.cert)]
        listen += ["--tls-key-file", str(tls.key), "--tls-auth-clients", "no"]
    auth = ["--requirepass", password] if password else []
    process = subprocess.Popen(
        [redis_binary(), *listen, *auth, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    secure = {"ssl": True, "ssl_cert_reqs": "none"} if tls is not None else {}
    client = redis.Redis(port=port, password=password, **secure)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)
    client.close()
    return Redis(port=port, process=process)
