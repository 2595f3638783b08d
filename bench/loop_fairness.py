"""Why the service runs on the stdlib event loop: tail latency of a saturated server, uvloop against asyncio.

    python bench/loop_fairness.py            # 150, 250 and 400 us of CPU per request, 100 connections

Each row runs bench/cpu_bound_app.py under uvicorn with either loop, at the same connections and CPU
placement as http_bench.py, and prints req/s, p50 and p99 for both and the p99 ratio uvloop/asyncio.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.http_bench import Load, Placement, raise_file_limit, require_wrk, server, wrk

LOOPS = ("asyncio", "uvloop")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cpu-us", type=int, nargs="+", default=[150, 250, 400])
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--duration", type=int, default=8)
    args = parser.parse_args()
    if not require_wrk():
        return 2
    raise_file_limit()
    print(f"{'CPU/request':>11} {'loop':>8} {'req/s':>7} {'p50':>8} {'p99':>9}")
    for cpu_us in args.cpu_us:
        env = {**os.environ, "BENCH_CPU_US": str(cpu_us)}
        p99 = {}
        for loop in LOOPS:
            load = Load(args.connections, args.duration, Placement.choose(loop))
            with server("bench.cpu_bound_app:app", env, load.placement) as port:
                wrk(port, "/", None, Load(args.connections, 2, load.placement))  # warm-up
                result = wrk(port, "/", None, load)
            p99[loop] = result.p99_ms
            print(f"{cpu_us:>9}us {loop:>8} {result.rps:7.0f} {result.p50_ms:6.1f}ms {result.p99_ms:7.1f}ms")
        print(f"{'':>11} p99 uvloop / asyncio = {p99['uvloop'] / p99['asyncio']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
