"""Plan speed: `launchpad plan --stack prod` next to importing the very modules it imports, same session.

"ratio" is the plan's wall time over the imports' (both in fresh interpreters, alternating, so machine
noise hits both alike); the target is <= 1.5x, the median of --repeat runs. The import list is what a
plan leaves in sys.modules, in load order. A venv installed without bytecode (PYTHONDONTWRITEBYTECODE set,
no `compile-bytecode`) pays the provider SDKs' compilation in both and shows as slow absolute times.

    python bench/plan_bench.py                 # 5 runs of each
    python bench/plan_bench.py --repeat 9 --stack dev
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAUNCHPAD = Path(sys.executable).parent / "launchpad"
LIST_MODULES = """
import contextlib, io, json, sys
from launchpad.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    main(["plan", "--stack", sys.argv[1], "--format", "json"])
print(json.dumps([name for name in sys.modules if name != "__main__"]))
"""
IMPORT_ALL = """
import importlib, json, sys
for name in json.load(open(sys.argv[1])):
    try:
        importlib.import_module(name)
    except Exception:  # a module that only imports as a side effect of another; its parent loaded it
        pass
"""


def _seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", default="prod")
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    listed = subprocess.run(
        [sys.executable, "-c", LIST_MODULES, options.stack],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as modules:
        modules.write(listed)
    plan = [str(LAUNCHPAD), "plan", "--stack", options.stack, "--format", "json", "--out", "/dev/null"]
    imports = [sys.executable, "-c", IMPORT_ALL, modules.name]
    pairs = [(_seconds(imports), _seconds(plan)) for _ in range(options.repeat)]
    base, head = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
    print(
        json.dumps(
            {
                "stack": options.stack,
                "modules": len(json.loads(listed)),
                "runs": options.repeat,
                "imports_median_s": round(base, 3),
                "plan_median_s": round(head, 3),
                "ratio": round(head / base, 3),
                "ratio_per_pair_median": round(statistics.median(h / b for b, h in pairs), 3),
                "target": 1.5,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
