"""`launchpad`: review a stack before `pulumi up` (an offline plan with policy findings, a cost estimate
and a diff), start a new stack, and operate a deployed one (verify, secrets, token-sync).

`plan` runs the real program with the real stack file under Pulumi's mocks: no Pulumi CLI, no cloud
credentials, nothing created. The operating commands read the stack's outputs (`pulumi stack output`) and
call the clouds' APIs with your own credentials."""

from __future__ import annotations

import argparse
import sys
from importlib import metadata

from launchpad import init_cmd, plan_cmd, secrets_cmd, token_sync
from launchpad.clouds import Clouds
from launchpad.errors import EXIT_STATUS_HELP, INTERRUPTED, USAGE, OperateError, report_internal_error
from launchpad.secret_input import refuse_value_argument
from launchpad.verify import command as verify_command
from stack_config import ConfigError

# Commands that take a secret: an argument they do not know may be a value, so it is refused unrepeated.
SECRET_COMMANDS = ("secrets", "token-sync")
EXAMPLES = """\
examples:
  launchpad plan                                   plan dev: verdict, findings, cost (make plan)
  launchpad plan --stack prod --set natStrategy=single
  launchpad plan --stack pr-123 --config-from dev  a per-PR stack made from dev's file
  launchpad init staging --from dev                a new stack: its stack file and policy config
  launchpad verify --stack dev                     check a deployed stack"""


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and epilogs as written; each option's default shown where it has one."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if action.default in (None, False, [], argparse.SUPPRESS) or "default" in text:
            return text
        return f"{text} (default: %(default)s)"


def _version() -> str:
    try:
        return metadata.version("launchpad")
    except metadata.PackageNotFoundError:
        return "unknown (not installed: run `make setup`)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="launchpad",
        description=__doc__,
        epilog=f"{EXAMPLES}\n\n{EXIT_STATUS_HELP}",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"launchpad {_version()}")
    parser.add_argument("--debug", action="store_true", help="print the traceback of an internal error")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    plan_cmd.register(commands, HelpFormatter)
    init_cmd.register(commands, HelpFormatter)
    verify_command.register(commands)
    secrets_cmd.register(commands)
    token_sync.register(commands)
    for subparser in commands.choices.values():
        subparser.epilog = subparser.epilog or EXIT_STATUS_HELP
        subparser.formatter_class = HelpFormatter
        subparser.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
    return parser


def _dispatch(options: argparse.Namespace, clouds: Clouds | None) -> int:
    if options.command == "plan":
        return plan_cmd.run(options)
    if options.command == "init":
        return init_cmd.run(options)
    clouds = clouds or Clouds()
    if options.command == "verify":
        return verify_command.run(options, clouds)
    if options.command == "secrets":
        return secrets_cmd.run(options, clouds)
    return token_sync.run(options, clouds)


def main(argv: list[str] | None = None, clouds: Clouds | None = None) -> int:
    parser = _parser()
    options, unknown = parser.parse_known_args(argv)
    if options.command is None:
        parser.print_help()
        return 0
    if unknown and options.command in SECRET_COMMANDS:
        sys.stderr.write(
            refuse_value_argument(f"{options.command} {options.action} --stack {options.stack}").render()
        )
        return USAGE
    if unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    return _run(options, clouds)


def _run(options: argparse.Namespace, clouds: Clouds | None) -> int:
    """The command's own exit status, or the one its error means (a bug is 3, never a traceback)."""
    try:
        return _dispatch(options, clouds)
    except ConfigError as error:
        sys.stderr.write(f"error: {error.render()}\n")
    except OperateError as error:
        sys.stderr.write(error.render())
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: nothing more was written\n")
        return INTERRUPTED
    except Exception as error:
        return report_internal_error(
            error, debug=options.debug, keep_traceback=options.command not in SECRET_COMMANDS
        )
    return USAGE
