"""`launchpad secrets set|list` against the dev stack in moto (and Secret Manager fakes): the value goes
from stdin to the stores and nowhere else: not the output, not a log, not an error."""

from __future__ import annotations

import io
from typing import Any

import pytest

from launchpad.cli import main
from launchpad.clouds import Clouds
from launchpad.secret_input import SecretValue
from tests.infra.conftest import GCP_PROJECT
from tests.operate.moto_stack import client, drop_aws_credentials

VALUE = "sk-ant-api03-" + "S3CRETVALUE" * 6


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(argv: list[str], stdin: io.StringIO, monkeypatch, clouds: Clouds | None = None) -> int:
    monkeypatch.setattr("sys.stdin", stdin)
    return main(argv, clouds=clouds)


def versions(arn: str) -> list[dict[str, Any]]:
    return client("secretsmanager").list_secret_version_ids(SecretId=arn)["Versions"]


def test_set_writes_stdin_to_secrets_manager_and_shows_it_nowhere(
    stack, outputs_file, monkeypatch, leaks
) -> None:
    path = outputs_file(stack)
    argv = ["secrets", "set", "anthropic-api-key", "--stack", "dev", "--outputs", path]
    assert run(argv, io.StringIO(VALUE + "\n"), monkeypatch) == 0
    arn = stack["secret_arns"]["anthropic-api-key"]
    assert client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"] == VALUE
    text = leaks()
    assert "new value stored in Secrets Manager" in text and "401 or 403" in text
    assert VALUE not in text and "S3CRETVALUE" not in text


def test_set_also_adds_a_secret_manager_version_with_the_gcp_target(
    stack, dev_gcp_outputs, google, outputs_file, monkeypatch, leaks
) -> None:
    secrets, run_client = google
    stack |= {
        k: dev_gcp_outputs[k] for k in ("gcp_project", "gcp_region", "gcp_service_name", "gcp_secret_ids")
    }
    name = secrets.create(stack["gcp_secret_ids"]["api-keys"])
    clouds = Clouds(gcp_factory=lambda kind: {"secrets": secrets, "run": run_client}[kind])
    argv = ["secrets", "set", "api-keys", "--stack", "dev", "--outputs", outputs_file(stack)]
    assert run(argv, io.StringIO(VALUE), monkeypatch, clouds) == 0
    assert secrets.payloads[name] == [VALUE.encode()]
    assert (
        client("secretsmanager").get_secret_value(SecretId=stack["secret_arns"]["api-keys"])["SecretString"]
        == VALUE
    )
    text = leaks()
    assert f"projects/{GCP_PROJECT}/secrets/launchpad-dev-api-keys/versions/1" in text
    assert "gcpPopulatedSecrets" in text and "force-new-deployment" in text and VALUE not in text


def test_a_refused_google_write_says_aws_has_it_and_that_a_retry_is_safe(
    stack, dev_gcp_outputs, google, outputs_file, monkeypatch, leaks
) -> None:
    secrets, run_client = google
    stack |= {
        k: dev_gcp_outputs[k] for k in ("gcp_project", "gcp_region", "gcp_service_name", "gcp_secret_ids")
    }
    secrets.create(stack["gcp_secret_ids"]["gemini-api-key"])
    secrets.deny_writes = True
    clouds = Clouds(gcp_factory=lambda kind: {"secrets": secrets, "run": run_client}[kind])
    argv = ["secrets", "set", "gemini-api-key", "--stack", "dev", "--outputs", outputs_file(stack)]
    assert run(argv, io.StringIO(VALUE), monkeypatch, clouds) == 2
    text = leaks()
    assert "error: Google permissions: secretmanager.versions.add was refused (PermissionDenied)" in text
    assert "Secrets Manager already has the new value" in text and "retrying is safe" in text
    assert VALUE not in text and "Traceback" not in text


def test_a_missing_google_secret_stops_both_writes(
    stack, dev_gcp_outputs, google, outputs_file, monkeypatch, leaks
) -> None:
    secrets, run_client = google
    stack |= {
        k: dev_gcp_outputs[k] for k in ("gcp_project", "gcp_region", "gcp_service_name", "gcp_secret_ids")
    }
    clouds = Clouds(gcp_factory=lambda kind: {"secrets": secrets, "run": run_client}[kind])
    argv = ["secrets", "set", "gemini-api-key", "--stack", "dev", "--outputs", outputs_file(stack)]
    assert run(argv, io.StringIO(VALUE), monkeypatch, clouds) == 2
    assert versions(stack["secret_arns"]["gemini-api-key"]) == []  # nothing half-written
    assert "secretmanager.secrets.get: the resource does not exist" in leaks()


@pytest.mark.parametrize(
    "extra",
    [[VALUE], [f"--value={VALUE}"], ["--value", VALUE]],
    ids=["positional", "option=", "option"],
)
def test_a_value_on_the_command_line_is_refused_unstored_and_unrepeated(
    stack, outputs_file, monkeypatch, leaks, extra
) -> None:
    argv = [
        "secrets",
        "set",
        "huggingface-api-key",
        *extra,
        "--stack",
        "dev",
        "--outputs",
        outputs_file(stack),
    ]
    assert run(argv, io.StringIO("piped"), monkeypatch) == 2
    assert versions(stack["secret_arns"]["huggingface-api-key"]) == []
    text = leaks()
    assert "error: arguments: a secret value was given on the command line (not shown here)" in text
    assert VALUE not in text


def test_a_terminal_on_stdin_is_refused_without_prompt(stack, outputs_file, monkeypatch, leaks) -> None:
    argv = ["secrets", "set", "gemini-api-key", "--stack", "dev", "--outputs", outputs_file(stack)]
    assert run(argv, Terminal(VALUE), monkeypatch) == 2
    assert "error: stdin: is a terminal" in leaks() and versions(stack["secret_arns"]["gemini-api-key"]) == []


def test_prompt_reads_without_echo(stack, outputs_file, monkeypatch, leaks) -> None:
    asked: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or VALUE)
    argv = [
        "secrets",
        "set",
        "gemini-api-key",
        "--prompt",
        "--stack",
        "dev",
        "--outputs",
        outputs_file(stack),
    ]
    assert run(argv, Terminal(""), monkeypatch) == 0
    assert asked == ["gemini-api-key (input is not echoed): "]
    assert (
        client("secretsmanager").get_secret_value(SecretId=stack["secret_arns"]["gemini-api-key"])[
            "SecretString"
        ]
        == VALUE
    )
    assert VALUE not in leaks()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("synced-token", "run `launchpad token-sync push --stack dev`"),
        ("db-readonly", "db-readonly is written by the stack (pulumi-random)"),
        (VALUE, "is not a secret of this stack (not shown here)"),
    ],
    ids=["synced-token", "generated", "a value where the name goes"],
)
def test_names_it_does_not_set_are_refused(stack, outputs_file, monkeypatch, leaks, name, expected) -> None:
    argv = ["secrets", "set", name, "--stack", "dev", "--outputs", outputs_file(stack)]
    assert run(argv, io.StringIO("x"), monkeypatch) == 2
    text = leaks()
    assert text.startswith("error: NAME:") and expected in text and VALUE not in text


def test_empty_stdin_is_refused(stack, outputs_file, monkeypatch, leaks) -> None:
    argv = ["secrets", "set", "gemini-api-key", "--stack", "dev", "--outputs", outputs_file(stack)]
    assert run(argv, io.StringIO("\n"), monkeypatch) == 2
    assert "error: stdin: held no value for gemini-api-key" in leaks()


def test_a_deleted_secret_fails_cleanly(stack, outputs_file, monkeypatch, leaks) -> None:
    client("secretsmanager").delete_secret(
        SecretId=stack["secret_arns"]["gemini-api-key"], ForceDeleteWithoutRecovery=True
    )
    argv = ["secrets", "set", "gemini-api-key", "--stack", "dev", "--outputs", outputs_file(stack)]
    assert run(argv, io.StringIO(VALUE), monkeypatch) == 2
    text = leaks()
    assert "error: secretsmanager:DescribeSecret: AWS answered ResourceNotFoundException" in text
    assert VALUE not in text and "Traceback" not in text


def test_no_credentials_is_an_error_with_the_fix(stack, outputs_file, monkeypatch, leaks) -> None:
    path = outputs_file(stack)
    drop_aws_credentials(monkeypatch)
    assert (
        run(
            ["secrets", "set", "gemini-api-key", "--stack", "dev", "--outputs", path],
            io.StringIO(VALUE),
            monkeypatch,
        )
        == 2
    )
    assert "error: AWS credentials: none found" in leaks()


def test_list_shows_which_have_values_and_when_never_the_values(
    stack, dev_gcp_outputs, google, outputs_file, monkeypatch, leaks
) -> None:
    secrets, run_client = google
    stack |= {
        k: dev_gcp_outputs[k] for k in ("gcp_project", "gcp_region", "gcp_service_name", "gcp_secret_ids")
    }
    for secret_id in stack["gcp_secret_ids"].values():
        secrets.create(secret_id)
    secrets.add_secret_version(
        {"parent": f"projects/{GCP_PROJECT}/secrets/launchpad-dev-api-keys", "payload": {"data": b"v"}}
    )
    client("secretsmanager").put_secret_value(
        SecretId=stack["secret_arns"]["gemini-api-key"], SecretString=VALUE
    )
    clouds = Clouds(gcp_factory=lambda kind: {"secrets": secrets, "run": run_client}[kind])
    assert (
        run(
            ["secrets", "list", "--stack", "dev", "--outputs", outputs_file(stack)],
            io.StringIO(""),
            monkeypatch,
            clouds,
        )
        == 0
    )
    text = leaks()
    aws_part, gcp_part = text.split("in Secret Manager (launchpad-test-project)")

    def rows(part: str) -> dict[str, str]:
        lines = [line.split() for line in part.splitlines() if line.startswith("  ") and "NAME" not in line]
        return {fields[0]: fields[1] for fields in lines}

    aws_rows, gcp_rows = rows(aws_part), rows(gcp_part)
    assert (aws_rows["gemini-api-key"], aws_rows["anthropic-api-key"], aws_rows["api-keys"]) == (
        "yes",
        "no",
        "yes",
    )
    assert aws_rows["db-readonly"] == "yes" and aws_rows["synced-token"] == "no"
    assert (gcp_rows["api-keys"], gcp_rows["gemini-api-key"]) == ("yes", "no")
    assert "launchpad token-sync push" in text
    assert VALUE not in text and "value-of-api-keys" not in text


def test_a_secret_value_object_never_shows_itself() -> None:
    value = SecretValue(VALUE)
    assert VALUE not in repr(value) and VALUE not in str(value) and VALUE not in f"{value}"
    assert value.redact(f"error near {VALUE}!") == "error near [secret]!"
