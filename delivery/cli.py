"""How every delivery script ends: a one-line error and exit 2 when the machine is not set up for it (no
Pulumi CLI, no GITHUB_TOKEN), a one-line error and exit 1 when the tool it drove failed, never a traceback.

The codes follow `launchpad`'s: 0 done, 1 the operation failed, 2 config or usage error (a missing CLI or
environment variable included).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

EXIT_FAILED = 1
EXIT_USAGE = 2


class SetupError(RuntimeError):
    """What the caller must fix before the script can run: a missing CLI, variable or file."""


def run(main: Callable[[], int], expected: Sequence[type[Exception]] = ()) -> int:
    """Runs a script's `main`; SetupError -> exit 2, one of `expected` -> exit 1, each as one line."""
    try:
        return main()
    except SetupError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except tuple(expected) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
