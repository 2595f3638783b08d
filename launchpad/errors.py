"""What `launchpad` exits with, the one error the operating commands raise, and how an unexpected
exception (a bug) is reported: one line, the traceback only on request."""

from __future__ import annotations

import sys
import tempfile
import traceback

# One meaning each, so CI can tell a policy block from a mistake in its input and from a crash.
PASS = 0  # no mandatory finding stands, every check passed, the command did its work
FINDING = 1  # a mandatory policy finding stands (plan) or a check failed (verify)
USAGE = 2  # config or usage error: bad input, named with its file, line or key and the fix
INTERNAL = 3  # a bug in launchpad
INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT

EXIT_STATUS_HELP = """\
exit status:
  0  pass: no mandatory finding (plan), every check passed (verify), or the command did its work
  1  a mandatory policy finding stands (plan), or a check failed (verify)
  2  config or usage error: a stack file, policy config, usage file, --set, --out, --compare file,
     a missing Pulumi CLI or credentials; the message names the file, line or key, and the fix
  3  internal error: a bug in launchpad (--debug prints the traceback)"""


class OperateError(Exception):
    """Printed as one line, `error: <field>: <problem>. Fix: <fix>`, never as a traceback (exit 2)."""

    def __init__(self, field: str, problem: str, fix: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem
        self.fix = fix

    def render(self) -> str:
        return f"error: {self.field}: {self.problem.rstrip('.')}. Fix: {self.fix}\n"


def report_internal_error(error: BaseException, *, debug: bool, keep_traceback: bool) -> int:
    """One line saying it is a bug; the traceback printed with --debug, else kept in a file (0600) whose
    path is printed. `keep_traceback` is False for commands holding a secret value, whose exception could
    carry it: their line names only the exception's type and the traceback is printed only when asked."""
    message = str(error).strip().splitlines()[0][:300] if str(error).strip() else ""
    shown = f"{type(error).__name__}: {message}" if message and keep_traceback else type(error).__name__
    if debug:
        traceback.print_exception(error, file=sys.stderr)
        where = "traceback above"
    elif keep_traceback:
        with tempfile.NamedTemporaryFile(
            "w", prefix="launchpad-traceback-", suffix=".txt", delete=False
        ) as kept:
            traceback.print_exception(error, file=kept)
        where = f"traceback in {kept.name}"
    else:
        where = "rerun with --debug to see the traceback"
    sys.stderr.write(f"error: internal error, a bug in launchpad ({shown}); {where}; please report it\n")
    return INTERNAL
