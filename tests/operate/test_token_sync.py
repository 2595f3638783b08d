"""`launchpad token-sync push|status` against the dev stack in moto: the bucket keeps every push under the
stack key, the secret holds the record the app reads, the age is published, and the credential is never
printed, logged or put in an error."""

from __future__ import annotations

import base64
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app import contract
from app.core.synced_token import EXPIRED_AGE_SECONDS, TokenRecord, age_seconds, parse_record
from launchpad.cli import main
from launchpad.token_sync import OBJECT_KEY
from tests.operate.moto_stack import client, published_token_ages

TOKEN = "hf_" + "T0KENVALUE" * 5


def jwt(**claims: Any) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256'})}.{part(claims)}.c2lnbmF0dXJl"


def push(path: str, monkeypatch, token: str = TOKEN, *args: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(token + "\n"))
    return main(["token-sync", "push", "--stack", "dev", "--outputs", path, *args])


def status(path: str, *args: str) -> int:
    return main(["token-sync", "status", "--stack", "dev", "--outputs", path, *args])


def secret(stack: dict[str, Any]) -> dict[str, Any]:
    arn = stack["secret_arns"]["synced-token"]
    return json.loads(client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"])


def object_versions(stack: dict[str, Any]) -> list[dict[str, Any]]:
    return client("s3").list_object_versions(Bucket=stack["token_sync_bucket"]).get("Versions", [])


def test_push_stores_the_record_in_the_bucket_and_the_secret(stack, outputs_file, monkeypatch, leaks) -> None:
    path = outputs_file(stack)
    assert push(path, monkeypatch, TOKEN, "--expires-in", "30d") == 0
    head = client("s3").head_object(Bucket=stack["token_sync_bucket"], Key=OBJECT_KEY)
    assert head["ServerSideEncryption"] == "aws:kms" and head["SSEKMSKeyId"] == stack["kms_key_arn"]
    record = secret(stack)
    assert record["token"] == TOKEN
    expires = datetime.fromisoformat(record["expires_at"])
    minted = datetime.fromisoformat(record["minted_at"])
    assert expires - minted == timedelta(days=30)
    assert head["Metadata"]["expires-at"] == record["expires_at"]
    stages = client("secretsmanager").describe_secret(SecretId=stack["secret_arns"]["synced-token"])[
        "VersionIdsToStages"
    ]
    assert [v for v, s in stages.items() if "AWSCURRENT" in s] == [head["Metadata"]["secret-version"]]
    stored = client("s3").get_object(Bucket=stack["token_sync_bucket"], Key=OBJECT_KEY)["Body"].read()
    assert json.loads(stored) == record
    assert published_token_ages() and max(published_token_ages()) < 60
    text = leaks()
    assert "Pushed the synced token of stack dev" in text and "no restart" in text
    assert TOKEN not in text and "T0KENVALUE" not in text


def test_every_push_is_kept_as_history(stack, outputs_file, monkeypatch, capsys) -> None:
    path = outputs_file(stack)
    for n in range(3):
        assert push(path, monkeypatch, f"{TOKEN}{n}", "--expires-in", "12h") == 0
    assert len(object_versions(stack)) == 3
    assert secret(stack)["token"] == f"{TOKEN}2"
    capsys.readouterr()
    assert status(path) == 0
    assert "3 pushes kept" in capsys.readouterr().out


def test_a_jwt_says_when_it_was_minted_and_when_it_expires(stack, outputs_file, monkeypatch) -> None:
    now = int(datetime.now(UTC).timestamp())
    assert push(outputs_file(stack), monkeypatch, jwt(iat=now - 600, exp=now + 7200)) == 0
    record = secret(stack)
    assert datetime.fromisoformat(record["expires_at"]).timestamp() == now + 7200
    assert datetime.fromisoformat(record["minted_at"]).timestamp() == now - 600


def test_a_token_never_outlives_its_own_exp(stack, outputs_file, monkeypatch) -> None:
    now = int(datetime.now(UTC).timestamp())
    assert push(outputs_file(stack), monkeypatch, jwt(exp=now + 3600), "--expires-in", "30d") == 0
    assert datetime.fromisoformat(secret(stack)["expires_at"]).timestamp() == now + 3600


@pytest.mark.parametrize(
    ("token", "args", "expected"),
    [
        (TOKEN, [], "error: --expires-in: the credential does not say when it expires"),
        (TOKEN, ["--expires-in", "soon"], "error: --expires-in: is not a positive duration"),
        (TOKEN, ["--expires-in", "0"], "error: --expires-in: is not a positive duration"),
        (jwt(exp=1_700_000_000), [], "error: stdin: the credential expired at 2023-11-14 22:13 UTC"),
        ("sk-ant-oat01-" + "T0KENVALUE" * 4, ["--expires-in", "1y"], "Claude consumer OAuth token"),
        (
            "sk-ant-oat01-" + "T0KENVALUE" * 4,
            ["--expires-in", "365d"],
            "launchpad secrets set anthropic-api-key",
        ),
        (f"{TOKEN} second", ["--expires-in", "1d"], "error: stdin: the credential contains whitespace"),
        ("", ["--expires-in", "1d"], "error: stdin: held no value"),
    ],
    ids=[
        "no expiry",
        "bad duration",
        "zero",
        "expired",
        "claude oauth bad args",
        "claude oauth",
        "whitespace",
        "empty",
    ],
)
def test_what_no_service_should_run_on_is_refused_and_nothing_is_written(
    stack, outputs_file, monkeypatch, leaks, token, args, expected
) -> None:
    assert push(outputs_file(stack), monkeypatch, token, *args) == 2
    assert object_versions(stack) == []
    assert client("secretsmanager").describe_secret(SecretId=stack["secret_arns"]["synced-token"]).get(
        "VersionIdsToStages"
    ) in (None, {})
    text = leaks()
    assert expected in text and "T0KENVALUE" not in text and "Traceback" not in text


def test_a_secret_that_cannot_be_written_takes_the_bucket_version_back(
    stack, outputs_file, monkeypatch, leaks
) -> None:
    client("secretsmanager").delete_secret(
        SecretId=stack["secret_arns"]["synced-token"], ForceDeleteWithoutRecovery=True
    )
    assert push(outputs_file(stack), monkeypatch, TOKEN, "--expires-in", "1d") == 2
    assert object_versions(stack) == []  # bucket and secret still agree: neither has the push
    text = leaks()
    assert "error: secretsmanager:PutSecretValue: AWS answered ResourceNotFoundException" in text
    assert TOKEN not in text


def test_a_token_on_the_command_line_is_refused(stack, outputs_file, monkeypatch, leaks) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    argv = ["token-sync", "push", "--stack", "dev", "--outputs", outputs_file(stack), TOKEN]
    assert main(argv) == 2
    text = leaks()
    assert "a secret value was given on the command line (not shown here)" in text
    assert "token-sync push --stack dev" in text and TOKEN not in text and object_versions(stack) == []


def test_status_shows_age_expiry_and_that_the_secret_holds_the_push(
    stack, outputs_file, monkeypatch, leaks
) -> None:
    path = outputs_file(stack)
    assert push(path, monkeypatch, TOKEN, "--expires-in", "3d") == 0
    leaks()
    assert status(path) == 0
    text = leaks()
    assert "minted" in text and "from now" in text and "holds the last push" in text
    assert "published synced_token_age" in text and TOKEN not in text


def test_status_no_publish_publishes_nothing(stack, outputs_file, monkeypatch, leaks) -> None:
    path = outputs_file(stack)
    assert push(path, monkeypatch, TOKEN, "--expires-in", "3d") == 0
    before = len(published_token_ages())
    assert status(path, "--no-publish") == 0
    assert len(published_token_ages()) == before
    assert "published" not in leaks().split("Synced token of stack")[1]


def test_status_notices_a_value_set_behind_its_back(stack, outputs_file, monkeypatch, leaks) -> None:
    path = outputs_file(stack)
    assert push(path, monkeypatch, TOKEN, "--expires-in", "3d") == 0
    client("secretsmanager").put_secret_value(
        SecretId=stack["secret_arns"]["synced-token"], SecretString="other"
    )
    leaks()
    assert status(path) == 0
    assert "CHANGED OUTSIDE token-sync" in leaks()


def test_status_before_any_push_says_how_to_push(stack, outputs_file, leaks) -> None:
    assert status(outputs_file(stack)) == 2
    assert "error: token-sync bucket: holds no synced token yet" in leaks()


def test_the_record_never_shows_the_token_and_counts_expiry_above_any_threshold() -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    record = TokenRecord(TOKEN, now - timedelta(hours=2), now - timedelta(hours=1))
    assert TOKEN not in repr(record)
    assert age_seconds(record.minted_at, record.expires_at, now) == EXPIRED_AGE_SECONDS
    assert EXPIRED_AGE_SECONDS > contract.SYNCED_TOKEN_ALARM_MAX_HOURS * 3600
    assert age_seconds(record.minted_at, now + timedelta(days=1), now) == 7200
    bare = parse_record(jwt(iat=int((now - timedelta(hours=3)).timestamp())), stored_at=now)
    assert bare.minted_at == now - timedelta(hours=3) and bare.expires_at is None
    assert parse_record("not.a-jwt.at all", stored_at=now).minted_at == now
