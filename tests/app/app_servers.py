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


def start_postgres() -> Postgres:
    """PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user."""
    prefix: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="lp-pg-"))
    datadir = root / "data"
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
        os.chown(root, user.pw_uid, user.pw_gid)
    bindir = pg_bin_dir()
    initdb = [str(bindir / "initdb"), "-D", str(datadir), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
    subprocess.run([*prefix, *initdb], check=True, capture_output=True)
    # Everyone is trusted except members of `password_login`, so credential rotation can be tested.
    hba = datadir / "pg_hba.conf"
    hba.write_text("host all +password_login 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
    port = free_port()
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
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
    with psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres", autocommit=True) as c:
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


def start_redis() -> Redis:
    port = free_port()
    process = subprocess.Popen(
        [redis_binary(), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
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
