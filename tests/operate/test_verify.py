"""`launchpad verify` against the dev stack deployed in moto: every check passes on a healthy stack, and
each thing the checklist names, broken alone, fails its own line and the exit status."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from launchpad.cli import main
from launchpad.clouds import Clouds
from launchpad.verify import health as health_module
from tests.infra.conftest import GCP_PROJECT
from tests.operate import moto_stack
from tests.operate.moto_stack import client

HEALTHY_LINES = {
    "no alarm in ALARM",
    "load balancer targets healthy",
    "service /health answers 200",
    "an AI provider has a credential",
}


def verify(capsys: pytest.CaptureFixture[str], path: str, clouds: Clouds | None = None) -> tuple[int, dict]:
    code = main(["verify", "--stack", "dev", "--outputs", path, "--format", "json"], clouds=clouds)
    out = capsys.readouterr().out
    return code, json.loads(out) if out else {}


def by_name(report: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {c["name"]: c for c in report["checks"]}


def failed(report: dict[str, Any]) -> dict[str, str]:
    return {c["name"]: c["detail"] for c in report["checks"] if c["status"] == "fail"}


def with_ai_key(out: dict[str, Any]) -> dict[str, Any]:
    client("secretsmanager").put_secret_value(
        SecretId=out["secret_arns"]["huggingface-api-key"], SecretString="k"
    )
    return out


def test_a_healthy_stack_passes_every_check_one_line_each(stack, outputs_file, capsys) -> None:
    path = outputs_file(with_ai_key(stack))
    assert main(["verify", "--stack", "dev", "--outputs", path]) == 0
    text = capsys.readouterr().out
    lines = [line for line in text.splitlines() if line.startswith("  ")]
    assert all(line.split()[0] in ("PASS", "WARN", "SKIP") for line in lines), text
    names = {line.split(None, 1)[1].split(":")[0] for line in lines}
    buckets = (stack["uploads_bucket"], stack["token_sync_bucket"])
    assert {f"bucket {b} encrypted with the stack key" for b in buckets} <= names
    assert {f"bucket {b} private" for b in buckets} | {f"bucket {b} versioned" for b in buckets} <= names
    assert {f"ECS service {stack[k]} steady" for k in ("web_service_name", "worker_service_name")} <= names
    assert names >= HEALTHY_LINES
    assert {f"secret {role} has a value" for role in ("api-keys", "db-readonly", "cache-auth-token")} <= names
    assert text.rstrip().endswith("0 failed: the stack is healthy")


def test_json_format_for_ci(stack, outputs_file, capsys) -> None:
    code, report = verify(capsys, outputs_file(with_ai_key(stack)))
    assert code == 0 and report["ok"] is True and report["failed"] == 0
    assert by_name(report)["no alarm in ALARM"]["detail"].startswith(f"{len(stack['alarm_names'])} alarms")


def _public(out: dict[str, Any]) -> str:
    client("s3").delete_public_access_block(Bucket=out["uploads_bucket"])
    return f"bucket {out['uploads_bucket']} private"


def _sse_s3(out: dict[str, Any]) -> str:
    client("s3").put_bucket_encryption(
        Bucket=out["token_sync_bucket"],
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )
    return f"bucket {out['token_sync_bucket']} encrypted with the stack key"


def _other_key(out: dict[str, Any]) -> str:
    other = client("kms").create_key()["KeyMetadata"]["Arn"]
    client("s3").put_bucket_encryption(
        Bucket=out["uploads_bucket"],
        ServerSideEncryptionConfiguration={
            "Rules": [
                {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": other}}
            ]
        },
    )
    return f"bucket {out['uploads_bucket']} encrypted with the stack key"


def _unversioned(out: dict[str, Any]) -> str:
    client("s3").put_bucket_versioning(
        Bucket=out["token_sync_bucket"], VersioningConfiguration={"Status": "Suspended"}
    )
    return f"bucket {out['token_sync_bucket']} versioned"


def _no_api_keys(out: dict[str, Any]) -> str:
    sm = client("secretsmanager")
    sm.delete_secret(SecretId=out["secret_arns"]["api-keys"], ForceDeleteWithoutRecovery=True)
    out["secret_arns"]["api-keys"] = sm.create_secret(Name="launchpad/dev/api-keys-empty")["ARN"]
    return "secret api-keys has a value"


def _alarm(out: dict[str, Any]) -> str:
    firing = next(name for name in out["alarm_names"] if "-error-rate-" in name)
    client("cloudwatch").set_alarm_state(AlarmName=firing, StateValue="ALARM", StateReason="test")
    return "no alarm in ALARM"


def _deleted_alarm(out: dict[str, Any]) -> str:
    client("cloudwatch").delete_alarms(AlarmNames=[out["alarm_names"][0]])
    return "no alarm in ALARM"


def _tasks_down(out: dict[str, Any]) -> str:
    moto_stack.set_service(out, "web_service_name", running=1, rollout="COMPLETED")
    return f"ECS service {out['web_service_name']} steady"


def _failed_deployment(out: dict[str, Any]) -> str:
    moto_stack.set_service(out, "worker_service_name", running=2, rollout="FAILED")
    return f"ECS service {out['worker_service_name']} steady"


def _deploying(out: dict[str, Any]) -> str:
    moto_stack.set_service(out, "web_service_name", running=2, rollout="COMPLETED", extra_deployment=True)
    return f"ECS service {out['web_service_name']} steady"


def _unhealthy_targets(out: dict[str, Any]) -> str:
    moto_stack.mark_targets_unhealthy(out)
    return "load balancer targets healthy"


def _no_targets(out: dict[str, Any]) -> str:
    elbv2 = client("elbv2")
    elbv2.deregister_targets(
        TargetGroupArn=out["target_group_arn"], Targets=[{"Id": "10.0.1.5", "Port": 8000}]
    )
    return "load balancer targets healthy"


def _https_promised(out: dict[str, Any]) -> str:
    out["https_enabled"] = True  # the stack serves HTTPS, yet the URL it exports is plain HTTP
    return "service /health answers 200"


def _unreachable(out: dict[str, Any]) -> str:
    out["service_url"] = "http://127.0.0.1:9"  # discard port: nothing listens
    return "service /health answers 200"


BREAKS = {
    "public bucket": (_public, "public access block has"),
    "SSE-S3 bucket": (_sse_s3, "default encryption is AES256"),
    "bucket on another key": (_other_key, "not the stack key"),
    "versioning suspended": (_unversioned, "versioning is Suspended"),
    "client API keys missing": (_no_api_keys, "launchpad secrets set api-keys --stack dev"),
    "alarm firing": (_alarm, "in ALARM: launchpad-dev-alarms-error-rate-"),
    "alarm deleted": (_deleted_alarm, "1 alarms missing"),
    "tasks below desired": (_tasks_down, "1 tasks running of 2 desired"),
    "failed deployment": (_failed_deployment, "failed deployment: ECS deployment circuit breaker"),
    "deployment in progress": (_deploying, "a deployment is in progress"),
    "unhealthy targets": (_unhealthy_targets, "1 unhealthy (Target.FailedHealthChecks)"),
    "no targets": (_no_targets, "no targets registered"),
    "HTTPS promised, HTTP served": (_https_promised, "the stack serves HTTPS but its URL is http://"),
    "service unreachable": (_unreachable, "unreachable"),
}


@pytest.mark.parametrize("case", sorted(BREAKS))
def test_each_broken_thing_fails_its_own_line_and_the_run(stack, outputs_file, capsys, case) -> None:
    breaker, expected = BREAKS[case]
    line = breaker(with_ai_key(stack))
    code, report = verify(capsys, outputs_file(stack))
    assert code == 1 and report["ok"] is False
    assert list(failed(report)) == [line], failed(report)
    assert expected in failed(report)[line]


def test_health_503_names_what_is_down(stack, outputs_file, capsys, health) -> None:
    health.status, health.failing = 503, ["database"]
    code, report = verify(capsys, outputs_file(with_ai_key(stack)))
    assert code == 1
    assert failed(report) == {
        "service /health answers 200": f"503 from {health.url}/health; failing: database"
    }


def test_no_ai_credential_warns_the_service_still_answers_from_the_rules(stack, outputs_file, capsys) -> None:
    code, report = verify(capsys, outputs_file(stack))
    assert code == 0 and by_name(report)["an AI provider has a credential"]["status"] == "warn"
    assert (
        "every decision comes from the rules" in by_name(report)["an AI provider has a credential"]["detail"]
    )
    assert by_name(report)["secret gemini-api-key has a value"]["status"] == "warn"
    code, report = verify(capsys, outputs_file(with_ai_key(stack)))
    assert by_name(report)["an AI provider has a credential"] == {
        "name": "an AI provider has a credential",
        "status": "pass",
        "detail": "huggingface-api-key",
    }


class HookedClouds(Clouds):
    """boto3 clients (moto behind them) whose calls named in `failing` fail as botocore fails them."""

    def __init__(self, failing: dict[str, Exception]) -> None:
        super().__init__()
        self.failing = failing

    def aws(self, service: str, region: str) -> Any:
        made = super().aws(service, region)

        def fail(model: Any, **_: Any) -> None:
            if model.name in self.failing or "*" in self.failing:
                raise self.failing.get(model.name) or self.failing["*"]

        made.meta.events.register("before-call", fail)
        return made


def test_no_network_exits_2_instead_of_failing_every_check(stack, outputs_file, capsys) -> None:
    unreachable = EndpointConnectionError(endpoint_url="https://s3.us-east-1.amazonaws.com/")
    code = main(
        ["verify", "--stack", "dev", "--outputs", outputs_file(stack)],
        clouds=HookedClouds({"*": unreachable}),
    )
    assert code == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("error: network: cannot reach AWS") and "Fix: check the network" in line


def test_an_unreadable_provider_key_is_not_reported_as_missing(stack, outputs_file, capsys) -> None:
    denied = ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "DescribeSecret")
    code, report = verify(capsys, outputs_file(stack), clouds=HookedClouds({"DescribeSecret": denied}))
    assert code == 1  # the denied reads fail their own lines
    line = by_name(report)["an AI provider has a credential"]
    assert line["status"] == "skip" and line["detail"].startswith("unknown:")
    assert "no provider key" not in line["detail"]


def test_wait_checks_again_until_a_deployment_finishes(stack, outputs_file, capsys, monkeypatch) -> None:
    moto_stack.set_service(stack, "web_service_name", running=2, rollout="IN_PROGRESS")
    slept: list[float] = []

    def deployment_finishes(seconds: float) -> None:
        slept.append(seconds)
        moto_stack.set_service(stack, "web_service_name", running=2, rollout="COMPLETED")

    monkeypatch.setattr("launchpad.verify.command.time.sleep", deployment_finishes)
    path = outputs_file(with_ai_key(stack))
    assert main(["verify", "--stack", "dev", "--outputs", path, "--wait", "600"]) == 0
    captured = capsys.readouterr()
    assert slept == [15] and "not yet: ECS service" in captured.err
    assert "0 failed" in captured.out


def test_without_wait_a_deployment_in_progress_fails_at_once(
    stack, outputs_file, capsys, monkeypatch
) -> None:
    moto_stack.set_service(stack, "web_service_name", running=2, rollout="IN_PROGRESS")
    monkeypatch.setattr("launchpad.verify.command.time.sleep", lambda _: pytest.fail("slept"))
    assert main(["verify", "--stack", "dev", "--outputs", outputs_file(with_ai_key(stack))]) == 1


def test_a_stack_running_on_the_synced_token_needs_one_that_has_not_expired(
    stack, outputs_file, capsys
) -> None:
    stack["synced_token_provider"] = "huggingface"
    code, report = verify(capsys, outputs_file(with_ai_key(stack)))
    assert code == 1
    assert set(failed(report)) == {"secret synced-token has a value", "synced token not expired"}
    assert "token-sync push --stack dev" in failed(report)["synced token not expired"]


def test_a_missing_output_exits_2_naming_it(stack, outputs_file, capsys) -> None:
    del stack["target_group_arn"]
    assert main(["verify", "--stack", "dev", "--outputs", outputs_file(stack)]) == 2
    err = capsys.readouterr().err
    assert "error: output target_group_arn:" in err and "Fix: deploy the stack" in err
    assert "Traceback" not in err


def test_no_credentials_exits_2_with_the_fix(stack, outputs_file, capsys, monkeypatch) -> None:
    path = outputs_file(stack)
    moto_stack.drop_aws_credentials(monkeypatch)
    assert main(["verify", "--stack", "dev", "--outputs", path]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: AWS credentials: none found") and "aws sso login" in err


def fake_pulumi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pulumi = bin_dir / "pulumi"
    pulumi.write_text("#!/bin/sh\n" + script)
    pulumi.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")


def test_outputs_come_from_pulumi_stack_output(stack, tmp_path, monkeypatch, capsys) -> None:
    (tmp_path / "out.json").write_text(json.dumps(with_ai_key(stack)))
    fake_pulumi(
        tmp_path, monkeypatch, f'[ "$*" = "stack output --json --stack dev" ] && cat {tmp_path}/out.json\n'
    )
    assert main(["verify", "--stack", "dev"]) == 0
    assert "0 failed" in capsys.readouterr().out


def test_an_unknown_stack_exits_2(tmp_path, monkeypatch, capsys) -> None:
    fake_pulumi(tmp_path, monkeypatch, "echo \"error: no stack named 'staging' found\" >&2; exit 255\n")
    assert main(["verify", "--stack", "staging"]) == 2
    err = capsys.readouterr().err
    assert "error: --stack: Pulumi has no stack named 'staging'" in err and "pulumi stack ls" in err


def test_without_the_pulumi_cli_it_asks_for_the_outputs_file(monkeypatch, capsys) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    assert main(["verify", "--stack", "dev"]) == 2
    assert "the Pulumi CLI is not on PATH" in capsys.readouterr().err


def test_the_console_script_prints_no_traceback(tmp_path) -> None:
    done = subprocess.run(
        [
            str(Path(__file__).resolve().parents[2] / ".venv/bin/launchpad"),
            "verify",
            "--stack",
            "dev",
            "--outputs",
            str(tmp_path / "none.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: --outputs: cannot read") and "Traceback" not in done.stderr


# ---- with the gcp target ----


def gcp_stack(stack: dict[str, Any], dev_gcp_outputs: dict[str, Any], google, health) -> dict[str, Any]:
    secrets, run = google
    gcp_keys = ("gcp_project", "gcp_region", "gcp_service_name", "gcp_secret_ids")
    stack |= {key: dev_gcp_outputs[key] for key in gcp_keys} | {
        "gcp_service_url": health.url.replace("http", "https")
    }
    for secret_id in stack["gcp_secret_ids"].values():
        secrets.create(secret_id)
    api_keys = f"projects/{GCP_PROJECT}/secrets/{stack['gcp_secret_ids']['api-keys']}"
    secrets.add_secret_version({"parent": api_keys, "payload": {"data": b"k"}})
    service = f"projects/{GCP_PROJECT}/locations/{stack['gcp_region']}/services/{stack['gcp_service_name']}"
    run.put(service, ready=True)
    return stack


def google_clouds(google) -> Clouds:
    secrets, run = google
    return Clouds(gcp_factory=lambda kind: {"secrets": secrets, "run": run}[kind])


def test_gcp_target_adds_cloud_run_and_secret_manager(
    stack, dev_gcp_outputs, google, health, outputs_file, capsys, monkeypatch
) -> None:
    out = gcp_stack(with_ai_key(stack), dev_gcp_outputs, google, health)
    # Cloud Run's own HTTPS is not served here: its /health check is pointed at the loopback service.
    monkeypatch.setattr("launchpad.verify.health.get", lambda url: (200, b"{}"))
    code, report = verify(capsys, outputs_file(out), google_clouds(google))
    checks = by_name(report)
    assert code == 0, failed(report)
    assert checks[f"Cloud Run {out['gcp_service_name']} latest revision ready"]["detail"] == "web-00002 ready"
    assert checks["Secret Manager api-keys has a value"]["status"] == "pass"
    assert checks["Secret Manager gemini-api-key has a value"]["status"] == "warn"
    assert checks["Cloud Run /health answers 200"]["status"] == "pass"


def test_a_cloud_run_revision_that_is_not_ready_fails(
    stack, dev_gcp_outputs, google, health, outputs_file, capsys, monkeypatch
) -> None:
    out = gcp_stack(with_ai_key(stack), dev_gcp_outputs, google, health)
    service = next(iter(google[1].services))
    google[1].put(service, ready=False, message="Container failed to start on port 8000")
    real_get = health_module.get
    private = lambda url: (403, b"") if url.startswith("https://") else real_get(url)  # noqa: E731
    monkeypatch.setattr("launchpad.verify.health.get", private)
    code, report = verify(capsys, outputs_file(out), google_clouds(google))
    assert code == 1
    assert failed(report) == {
        f"Cloud Run {out['gcp_service_name']} latest revision ready": "latest web-00002 is not ready: "
        "Container failed to start on port 8000"
    }
    assert by_name(report)["Cloud Run /health answers 200"]["status"] == "warn"  # private service: 403


def test_gcp_api_keys_without_a_version_fail(
    stack, dev_gcp_outputs, google, health, outputs_file, capsys, monkeypatch
) -> None:
    out = gcp_stack(with_ai_key(stack), dev_gcp_outputs, google, health)
    google[0].versions[next(n for n in google[0].versions if n.endswith("-api-keys"))].clear()
    monkeypatch.setattr("launchpad.verify.health.get", lambda url: (200, b"{}"))
    code, report = verify(capsys, outputs_file(out), google_clouds(google))
    assert code == 1 and list(failed(report)) == ["Secret Manager api-keys has a value"]
