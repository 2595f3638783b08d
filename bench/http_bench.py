"""HTTP benchmark: the service next to a bare Starlette app, under uvicorn on 127.0.0.1, driven by wrk.

"ratio" is the service's req/s over the bare app's (the target); the "floor" columns are the same for a
minimal FastAPI app with the same routes (bench/fastapi_floor_app.py): the most any FastAPI service can reach.

    python bench/http_bench.py                 # side-by-side runs + the 1,000-connection load run
    python bench/http_bench.py --skip-load     # side-by-side only
    python bench/http_bench.py --repeat 3      # the median of three runs per server and scenario
    python bench/http_bench.py --profile production   # the service on throwaway PostgreSQL + Redis
    python bench/http_bench.py --feature-costs        # + what each switchable feature costs in req/s

Needs `wrk` (Debian: apt-get install wrk). Loopback only; every run is bounded by --duration.
Targets (TARGETS): embedded, the service >= 0.7x the FastAPI floor's req/s with p99 <= 50 ms at 100
connections; production (its backends' round trips included), >= 0.5x with p99 <= 100 ms; 0 errors at 1,000.

The service runs the documented way, `python -m app.serve` (stdlib event loop, header limit); the two
baselines run under uvicorn with the same event loop (`--loop uvloop` changes theirs, to compare).
With two or more CPUs the server gets one and wrk another, so neither steals the other's core and the
ratio measures the service, not the scheduler.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import psutil  # a pinned dev dependency, as are the tests' servers the bench starts

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script from anywhere: `python bench/http_bench.py`
from app.serve import EVENT_LOOP  # noqa: E402 - needs the path above

API_KEY = "bench-key-0123456789"


def unique_messages_lua(prefix: str) -> str:
    """A wrk script whose every request asks `prefix` + its own ticket number, so none is cached."""
    return f"""
local counter = 0
local thread_no = 0
setup = function(thread) thread:set("tid", thread_no); thread_no = thread_no + 1 end
request = function()
  counter = counter + 1
  local body = '{{"message": "{prefix}ticket ' .. tid .. '-' .. counter .. '"}}'
  return wrk.format("POST", "/v1/decisions", HEADERS, body)
end
"""


# Every request a question the rules answer with confidence, each one different.
UNCACHED_LUA = unique_messages_lua("I want to cancel my subscription, ")
# One question the rules are unsure of: the chain decides it once (no provider configured here: the rules'
# fallback, which is cached), then the cache answers.
CACHED_LUA = """
request = function()
  return wrk.format("POST", "/v1/decisions", HEADERS, '{"message": "How do I export my data to CSV?"}')
end
"""
WARMUP_SECONDS = 2
HEADERS_LUA = f'HEADERS = {{["Content-Type"] = "application/json", ["X-API-Key"] = "{API_KEY}"}}\n'


@dataclass(frozen=True)
class Placement:
    """Which CPU the server and the load generator run on (None: wherever the kernel puts them)."""

    server_cpu: int | None
    client_cpu: int | None
    loop: str

    @staticmethod
    def choose(loop: str) -> Placement:
        cpus = sorted(os.sched_getaffinity(0))
        if len(cpus) < 2:
            return Placement(None, None, loop)
        return Placement(cpus[-1], cpus[0], loop)


@dataclass(frozen=True)
class Load:
    connections: int
    duration: int
    placement: Placement


def _pinned(cpu: int | None):
    return None if cpu is None else (lambda: os.sched_setaffinity(0, {cpu}))


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(port: int, path: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on {port} did not start")


SERVICE = "app.serve"


@contextmanager
def server(target: str, env: dict[str, str], placement: Placement):
    port = free_port()
    if target == SERVICE:  # the documented serve command, exactly
        command = [sys.executable, "-m", SERVICE, "--host", "127.0.0.1"]
        env = {**env, "PORT": str(port)}
    else:
        command = [sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", str(port)]
        command += ["--no-access-log", "--log-level", "warning", "--backlog", "4096"]
        command += ["--loop", placement.loop]
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_pinned(placement.server_cpu),  # noqa: PLW1509 - only sets the CPU affinity
    )
    try:
        _wait_ready(port, "/health/live")
        yield port
    finally:
        process.terminate()
        process.wait(15)


def _ms(value: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s|m)$", value)
    if match is None:
        raise ValueError(f"unexpected wrk latency {value!r}")
    number, unit = match.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def wrk(port: int, path: str, script: str | None, load: Load) -> Result:
    threads = 1 if load.placement.client_cpu is not None else 2  # one per core it may use
    command = ["wrk", f"-t{threads}", f"-c{load.connections}", f"-d{load.duration}s", "--latency"]
    command += ["--timeout", "5s"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(HEADERS_LUA + (script or ""))
    command += ["-s", lua.name, f"http://127.0.0.1:{port}{path}"]
    out = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=True,
        timeout=load.duration + 60,
        preexec_fn=_pinned(load.placement.client_cpu),
    ).stdout
    os.unlink(lua.name)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0) + (
        int(non_2xx.group(1)) if non_2xx else 0
    )
    return Result(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        p50_ms=_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        p99_ms=_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        errors=errors,
        requests=int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
    )


def service_env(workdir: str, backends: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_", "AWS_"))}
    env.update(backends or {})
    env.update(
        DEPLOYMENT_ENV="development",
        API_KEYS=API_KEY,
        SQLITE_PATH=f"{workdir}/bench.sqlite",
        LOCAL_UPLOADS_DIR=f"{workdir}/uploads",
        RATE_LIMIT_PER_IP="100000000/second",  # the bench measures serving, not limiting
        RATE_LIMIT_PER_KEY="100000000/second",
        LOG_LEVEL="WARNING",
        AWS_EMF_ENVIRONMENT="Local",
    )
    return env


SCENARIOS = [
    ("GET /health/live", "/health/live", None),
    ("POST /v1/decisions (rules path)", "/v1/decisions", UNCACHED_LUA),
    ("POST /v1/decisions (cache hit)", "/v1/decisions", CACHED_LUA),
]


BASELINES = {"bare": "bench.bare_app:app", "fastapi": "bench.fastapi_floor_app:app"}


def interleaved_medians(
    ports: tuple[int, ...], path: str, script: str | None, load: Load, repeat: int
) -> list[Result]:
    """Runs each server in turn, `repeat` rounds, and keeps each one's median run by req/s (with the
    errors of all its runs): a noisy moment hits every server alike, one outlier run decides nothing."""
    runs: dict[int, list[Result]] = {port: [] for port in ports}
    for _ in range(repeat):
        for port in ports:
            runs[port].append(wrk(port, path, script, load))
    medians = [sorted(runs[port], key=lambda run: run.rps)[repeat // 2] for port in ports]
    return [replace(m, errors=sum(r.errors for r in runs[p])) for m, p in zip(medians, ports, strict=True)]


# profile -> (least req/s as a share of the floor's, most p99 in ms) on every scenario at 100 connections.
TARGETS = {"embedded": (0.7, 50.0), "production": (0.5, 100.0)}


def side_by_side(load: Load, workdir: str, repeat: int, backends: dict[str, str] | None = None) -> bool:
    """The service against the bare app (the target's baseline) and the FastAPI floor (its ceiling)."""
    print(f"{'scenario':34} {'bare req/s':>10} {'floor':>7} {'app':>7} {'ratio':>6} {'floor':>6}", end="")
    print(f" {'app/floor':>9}", end="")
    print(f" {'app p50':>8} {'app p99':>8} {'bare p99':>9}")
    ok = True
    with (
        server(BASELINES["bare"], dict(os.environ), load.placement) as bare_port,
        server(BASELINES["fastapi"], dict(os.environ), load.placement) as floor_port,
        server(SERVICE, service_env(workdir, backends), load.placement) as port,
    ):
        for name, path, script in SCENARIOS:
            for warm_port in (bare_port, floor_port, port):  # first requests pay for lazy imports
                wrk(warm_port, path, script, replace(load, duration=WARMUP_SECONDS))
            bare, floor, app = interleaved_medians((bare_port, floor_port, port), path, script, load, repeat)
            ratio = app.rps / bare.rps
            share, p99 = TARGETS["production" if backends else "embedded"]
            ok &= app.rps >= share * floor.rps and app.p99_ms <= p99 and app.errors == 0
            line = f"{name:34} {bare.rps:10.0f} {floor.rps:7.0f} {app.rps:7.0f} {ratio:6.2f}"
            line += f" {floor.rps / bare.rps:6.2f} {app.rps / floor.rps:9.2f}"
            line += f" {app.p50_ms:6.1f}ms {app.p99_ms:6.1f}ms"
            line += f" {bare.p99_ms:7.1f}ms"
            print(line + (f"  errors={app.errors}" if app.errors else ""))
    return ok


# What one feature of the service costs on the decision route: the service as it runs, against the same
# service with that feature switched off by its own setting, interleaved in one run with the floor.
FEATURES = {
    "EMF metrics": {"METRICS_ENABLED": "false"},
    "near cache (cache hits go to Redis)": {"NEAR_CACHE_SECONDS": "0"},
}


def feature_costs(load: Load, workdir: str, repeat: int, backends: dict[str, str]) -> None:
    """Req/s of the service without each feature; the cost is the share of throughput the feature takes.
    The production dependencies as a whole (PostgreSQL audit, the shared per-key limit and cache in
    Redis) are the embedded profile's run against this one."""
    print(f"{'feature (decision route)':40} {'scenario':12} {'with':>7} {'without':>8} {'cost':>6}")
    # cost: the share of req/s the feature takes; below zero it saves more than it costs
    variants = {"with": {}, **FEATURES}
    with contextlib.ExitStack() as servers:
        ports = {
            name: servers.enter_context(
                server(SERVICE, {**service_env(workdir, backends), **env}, load.placement)
            )
            for name, env in variants.items()
        }
        for scenario, script in (("rules path", UNCACHED_LUA), ("cache hit", CACHED_LUA)):
            for port in ports.values():
                wrk(port, "/v1/decisions", script, replace(load, duration=WARMUP_SECONDS))
            results = dict(
                zip(
                    ports,
                    interleaved_medians(tuple(ports.values()), "/v1/decisions", script, load, repeat),
                    strict=True,
                )
            )
            for name in FEATURES:
                cost = 1 - results["with"].rps / results[name].rps
                print(
                    f"{name:40} {scenario:12} {results['with'].rps:7.0f} {results[name].rps:8.0f} {cost:6.0%}"
                )


def load_run(load: Load, workdir: str, backends: dict[str, str] | None = None) -> bool:
    with server(SERVICE, service_env(workdir, backends), load.placement) as port:
        result = wrk(port, "/v1/decisions", UNCACHED_LUA, load)
    print(
        f"load: {load.connections} connections x {load.duration}s on POST /v1/decisions: "
        f"{result.requests} requests, "
        f"{result.rps:.0f} req/s, p50 {result.p50_ms:.1f}ms, p99 {result.p99_ms:.1f}ms, "
        f"errors {result.errors}"
    )
    return result.errors == 0


@contextmanager
def backends_for(profile: str, placement: Placement | None = None):
    """The environment that points the service at its backends: none (embedded), or throwaway
    PostgreSQL and Redis servers on loopback, migrated, stopped afterwards. With two CPUs they run on
    wrk's, as they would run on hosts of their own in production: on the service's core they would take
    its CPU away from it (measured: the service idle a fifth of the time, every call slower)."""
    if profile == "embedded":
        yield {}
        return
    with throwaway_backends("launchpad_bench") as (postgres, redis_server, url):
        if placement is not None and placement.client_cpu is not None:
            postmaster = int((postgres.datadir / "postmaster.pid").read_text().split()[0])
            children = [child.pid for child in psutil.Process(postmaster).children()]
            for pid in (redis_server.process.pid, postmaster, *children):
                with contextlib.suppress(ProcessLookupError):  # a short-lived child ended meanwhile
                    os.sched_setaffinity(pid, {placement.client_cpu})  # new backends inherit the postmaster's
        yield {"DATABASE_URL": url, "REDIS_URL": redis_server.url}


@contextmanager
def throwaway_backends(database: str):
    """The tests' throwaway PostgreSQL (with `database` migrated) and Redis servers, stopped afterwards."""
    sys.path.insert(0, str(REPO / "tests" / "app"))
    from app_servers import start_postgres, start_redis  # noqa: PLC0415 - the tests' own throwaway servers
    from sqlalchemy import create_engine  # noqa: PLC0415

    from app.migrate import upgrade  # noqa: PLC0415

    postgres, redis_server = start_postgres(), start_redis()
    try:
        url = postgres.create_database(database)
        engine = create_engine(url)
        upgrade(engine)
        engine.dispose()
        yield postgres, redis_server, url
    finally:
        redis_server.stop()
        postgres.stop()


def require_wrk() -> bool:
    if shutil.which("wrk") is None:
        print("wrk not found: apt-get install wrk", file=sys.stderr)
        return False
    return True


def raise_file_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(soft, 8192), hard), hard))  # 1,000 sockets each side


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--load-connections", type=int, default=1000)
    parser.add_argument("--load-duration", type=int, default=30)
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per server and scenario; the median counts"
    )
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument(
        "--feature-costs", action="store_true", help="also: req/s of the service without each feature"
    )
    parser.add_argument(
        "--profile",
        choices=["embedded", "production"],
        default="embedded",
        help="production: the service on throwaway PostgreSQL and Redis servers (Debian binaries)",
    )
    parser.add_argument("--loop", choices=["asyncio", "uvloop"], default=EVENT_LOOP, help="uvicorn --loop")
    args = parser.parse_args()
    if not require_wrk():
        return 2
    raise_file_limit()
    placement = Placement.choose(args.loop)
    print(
        f"uvicorn --loop {placement.loop}; server CPU {placement.server_cpu}, wrk CPU {placement.client_cpu}"
    )
    print(f"profile: {args.profile}")
    with (
        tempfile.TemporaryDirectory(prefix="lp-bench-") as workdir,
        backends_for(args.profile, placement) as backends,
    ):
        ok = side_by_side(Load(args.connections, args.duration, placement), workdir, args.repeat, backends)
        if args.feature_costs:
            feature_costs(Load(args.connections, args.duration, placement), workdir, args.repeat, backends)
        if not args.skip_load:
            ok &= load_run(Load(args.load_connections, args.load_duration, placement), workdir, backends)
    print("targets met" if ok else "targets NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
