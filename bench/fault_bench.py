"""Decision latency and errors with each dependency hung, beside the healthy figure, in one run.

    python bench/fault_bench.py [--connections 50] [--duration 10]

The service runs the documented way (`python -m app.serve`) on throwaway PostgreSQL and Redis servers,
each behind a TCP proxy that the run switches to "hung" (connections accepted, nothing answered), with
Hugging Face played by bench/fake_provider_app.py behind a third proxy. Secrets Manager is hung by
pointing the provider key's secret at a port that never answers. Every request is an uncached decision
the rules are unsure of, so it goes through the per-IP and per-key limits, the cache and the provider
chain. Each hung scenario is measured after a warm-up that lets the breakers trip, as in production.
Target: no errors, and p99 under seed 001's 2 s alarm whatever is hung (the budget is 1.5 s).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path[:0] = [str(REPO / "tests" / "app"), str(REPO / "tests" / "app" / "faults")]
from fault_proxy import Blackhole, FaultProxy  # noqa: E402 - the fault suite's proxy

from bench.http_bench import (  # noqa: E402
    SERVICE,
    Load,
    Placement,
    raise_file_limit,
    require_wrk,
    server,
    service_env,
    throwaway_backends,
    unique_messages_lua,
    wrk,
)

UNSURE_LUA = unique_messages_lua("How do I export my data to CSV? ")
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:hf-key-AbCdEf"
WARMUP_SECONDS = 3
ALARM_MS = 2000


def measure(port: int, load: Load) -> object:
    wrk(port, "/v1/decisions", UNSURE_LUA, replace(load, duration=WARMUP_SECONDS))
    return wrk(port, "/v1/decisions", UNSURE_LUA, load)


def run(load: Load, workdir: str) -> bool:
    rows = []
    with ExitStack() as stack:
        postgres, redis_server, url = stack.enter_context(throwaway_backends("launchpad_faults"))
        pg, redis_proxy = FaultProxy(postgres.port), FaultProxy(redis_server.port)
        fake_port = stack.enter_context(server("bench.fake_provider_app:app", {}, load.placement))
        provider = FaultProxy(fake_port)
        hole = Blackhole()
        for proxy in (pg, redis_proxy, provider, hole):
            stack.callback(proxy.close)
        backends_env = {
            "DATABASE_URL": url.replace(f":{postgres.port}/", f":{pg.port}/"),
            "REDIS_URL": f"redis://127.0.0.1:{redis_proxy.port}/0",
            "AI_PROVIDERS": "huggingface",
            "HUGGINGFACE_BASE_URL": f"http://127.0.0.1:{provider.port}/v1",
        }
        env = {**service_env(workdir, backends_env), "HUGGINGFACE_API_KEY": "hf_bench"}
        with server(SERVICE, env, load.placement) as port:
            rows.append(("healthy", measure(port, load)))
            for name, proxy in (
                ("PostgreSQL hung", pg),
                ("Redis hung", redis_proxy),
                ("provider hung", provider),
            ):
                proxy.hang()
                rows.append((name, measure(port, load)))
                proxy.forward()
        secrets_env = {
            **service_env(workdir, backends_env),
            "HUGGINGFACE_API_KEY_SECRET_ARN": SECRET_ARN,
            "AWS_ENDPOINT_URL_SECRETSMANAGER": f"http://127.0.0.1:{hole.port}",
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
        with server(SERVICE, secrets_env, load.placement) as port:
            rows.append(("Secrets Manager hung", measure(port, load)))
    return report(rows)


def report(rows: list) -> bool:
    healthy = rows[0][1]
    print(f"{'scenario':22} {'req/s':>7} {'p50':>9} {'p99':>9} {'p99/healthy':>11} {'errors':>7}")
    ok = True
    for name, result in rows:
        ok &= result.errors == 0 and result.p99_ms < ALARM_MS
        ratio = result.p99_ms / healthy.p99_ms
        print(
            f"{name:22} {result.rps:7.0f} {result.p50_ms:7.1f}ms {result.p99_ms:7.1f}ms {ratio:11.1f}"
            f" {result.errors:7d}"
        )
    print("targets met" if ok else "targets NOT met")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=int, default=10)
    args = parser.parse_args()
    if not require_wrk():
        return 2
    raise_file_limit()
    placement = Placement.choose("asyncio")
    with tempfile.TemporaryDirectory(prefix="lp-faults-") as workdir:
        ok = run(Load(args.connections, args.duration, placement), workdir)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
