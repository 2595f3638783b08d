"""Compute settings fail as config errors naming the key, before any resource exists."""

from __future__ import annotations

from typing import Any

import pytest

from cloud_facts.aws.scheduler import eventbridge_cron
from stack_config import ConfigError, fargate_memory_choices, parse_settings
from tests.infra.conftest import raw_config


def _problems(stack: str, **overrides: Any) -> str:
    with pytest.raises(ConfigError) as error:
        parse_settings(raw_config(stack, **overrides))
    return str(error.value)


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_stack_files_hold_valid_compute_settings(stack: str) -> None:
    settings = parse_settings(raw_config(stack))
    assert settings.web_memory in fargate_memory_choices(settings.web_cpu)
    assert settings.web_min_count <= settings.web_desired_count <= settings.web_max_count


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"webCpu": 300}, "webCpu"),
        ({"webCpu": 256, "webMemory": 4096}, "webMemory"),
        ({"workerCpu": 1024, "workerMemory": 1024}, "workerMemory"),
        ({"workerCpu": 8192, "workerMemory": 18432}, "workerMemory"),  # 16384 + 2048: off the 4 GiB step
        ({"webMinCount": 3, "webMaxCount": 2, "webDesiredCount": 2}, "webMinCount"),
        ({"webDesiredCount": 9}, "webDesiredCount"),
        ({"workerMinCount": 5, "workerMaxCount": 2}, "workerMinCount"),
        ({"workerMinCount": -1}, "workerMinCount"),
        ({"webMinCount": 0, "webDesiredCount": 0}, "webMinCount"),  # only the worker may stop entirely
        ({"nightlyCron": "0 25 * * *"}, "nightlyCron"),
        ({"nightlyCron": "every night"}, "nightlyCron"),
        ({"nightlyCron": "0 2 1 * 1"}, "nightlyCron"),  # unix ORs dom and dow; EventBridge cannot
        ({"logRetentionDays": 10}, "logRetentionDays"),
        ({"domainName": "api.example.com"}, "domainName"),
        ({"hostedZoneId": "Z123"}, "hostedZoneId"),
        ({"certificateArn": "not-an-arn", "domainName": "api.example.com"}, "certificateArn"),
    ],
)
def test_invalid_compute_settings_name_their_key(overrides: dict[str, Any], key: str) -> None:
    assert key in _problems("dev", **overrides)


def test_only_the_worker_may_scale_to_zero() -> None:
    settings = parse_settings(raw_config("prod", workerMinCount=0))
    assert settings.worker_min_count == 0
    assert "webMinCount" in _problems("dev", webMinCount=0, webDesiredCount=0)


def test_production_needs_two_web_tasks() -> None:
    message = _problems("prod", webMinCount=1, webDesiredCount=1)
    assert "webMinCount" in message and "production" in message


def test_every_problem_is_reported_at_once() -> None:
    message = _problems("dev", webCpu=256, webMemory=4096, workerMinCount=9, logRetentionDays=2)
    assert all(key in message for key in ("webMemory", "workerMinCount", "logRetentionDays"))


@pytest.mark.parametrize(
    ("cpu", "memory", "allowed"),
    [
        (256, 512, True),
        (256, 1536, False),  # the one gap in the 0.25 vCPU row
        (512, 4096, True),
        (1024, 1536, False),
        (4096, 30720, True),
        (4096, 31744, False),
        (8192, 20480, True),
        (8192, 18432, False),
        (16384, 122880, True),
        (16384, 40960, True),
        (16384, 36864, False),
    ],
)
def test_fargate_sizes_follow_aws_table(cpu: int, memory: int, allowed: bool) -> None:
    assert (memory in fargate_memory_choices(cpu)) is allowed


@pytest.mark.parametrize(
    ("unix", "aws"),
    [
        ("0 2 * * *", "cron(0 2 * * ? *)"),
        ("30 4 * * 1-5", "cron(30 4 ? * 2,3,4,5,6 *)"),  # Mon-Fri: AWS counts Sunday as 1
        ("0 0 1 * *", "cron(0 0 1 * ? *)"),
        ("*/15 * * * sun,sat", "cron(0/15 * ? * 1,7 *)"),
        ("0 3 * * 5-7", "cron(0 3 ? * 1,6,7 *)"),  # 7 is Sunday too
        ("0 6 */2 * *", "cron(0 6 1/2 * ? *)"),
    ],
)
def test_unix_cron_becomes_eventbridge_cron(unix: str, aws: str) -> None:
    assert eventbridge_cron(unix) == aws
