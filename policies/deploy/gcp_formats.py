"""Checks on Cloud Run revision templates and other Google Cloud inputs that read several properties."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from croniter import croniter

from policies.deploy.gcp_facts import cloud_sql_tier_problems, cpu_count, memory_mib, run_sizing_problems


@dataclass(frozen=True)
class CloudRunSizing:
    """CPU and memory of each container of a Cloud Run revision template (a service's `template`, a job's
    `template.template`, a worker pool's `template`), with what they require of the template: below one
    CPU a service must serve one request at a time with CPU only during requests, and an instance that
    is not request-driven (a worker pool) always holds its CPU, so it needs a whole one."""

    serves_requests: bool = True
    gen2_by_default: bool = True  # services run the first generation unless told; jobs and pools the second

    def problems(self, template: Any) -> list[str]:
        if not isinstance(template, Mapping):
            return []
        environment = template.get("executionEnvironment")
        gen2 = environment == "EXECUTION_ENVIRONMENT_GEN2" or (environment is None and self.gen2_by_default)
        return [
            problem
            for container in template.get("containers") or []
            for problem in self._container(container, template, gen2)
        ]

    def _container(self, container: Mapping[str, Any], template: Mapping[str, Any], gen2: bool) -> list[str]:
        resources = container.get("resources") or {}
        limits = resources.get("limits") or {}
        cpu_text, memory_text = str(limits.get("cpu", "1")), str(limits.get("memory", "512Mi"))
        cpu, memory = cpu_count(cpu_text), memory_mib(memory_text)
        if cpu is None or memory is None:
            return [f"limits cpu {cpu_text!r} / memory {memory_text!r} are not quantities Cloud Run reads"]
        problems = run_sizing_problems(cpu, memory, gen2=gen2)
        if cpu < 1 and not self.serves_requests:
            problems.append(f"cpu {cpu:g}: an instance that always holds its CPU needs at least 1")
        if cpu < 1 and self.serves_requests:
            if template.get("maxInstanceRequestConcurrency", 80) != 1:
                problems.append(f"cpu {cpu:g} needs maxInstanceRequestConcurrency 1")
            if resources.get("cpuIdle") is False:
                problems.append(f"cpu {cpu:g} needs CPU only during requests (cpuIdle true)")
        return problems


# Probe bounds (terraform-provider-google cloudrunv2 resource_cloud_run_v2_service.go, probe descriptions):
# initial delay 0-240 s for a startup probe, 0-3600 s for liveness; period 1-240 s and 1-3600 s; timeout
# 1-3600 s and smaller than the period; failure threshold at least 1.
_PROBE_LIMITS = {"startupProbe": 240, "livenessProbe": 3600}


@dataclass(frozen=True)
class CloudRunProbes:
    """The startup and liveness probes of each container of a revision template."""

    def problems(self, template: Any) -> list[str]:
        if not isinstance(template, Mapping):
            return []
        return [
            f"{kind}: {problem}"
            for container in template.get("containers") or []
            for kind, most in _PROBE_LIMITS.items()
            if isinstance(container.get(kind), Mapping)
            for problem in _probe(container[kind], most)
        ]


def _probe(probe: Mapping[str, Any], most: int) -> list[str]:
    period, timeout = float(probe.get("periodSeconds", 10)), float(probe.get("timeoutSeconds", 1))
    delay, failures = float(probe.get("initialDelaySeconds", 0)), float(probe.get("failureThreshold", 3))
    problems = []
    if not 0 <= delay <= most:
        problems.append(f"initialDelaySeconds {delay:g} is outside 0-{most}")
    if not 1 <= period <= most:
        problems.append(f"periodSeconds {period:g} is outside 1-{most}")
    if not 1 <= timeout < period:
        problems.append(f"timeoutSeconds {timeout:g} must be at least 1 and under periodSeconds {period:g}")
    if failures < 1:
        problems.append(f"failureThreshold {failures:g} is below 1")
    return problems


@dataclass(frozen=True)
class UnixCron:
    """A five-field unix cron (Cloud Scheduler)."""

    def problems(self, value: Any) -> list[str]:
        text = str(value)
        if len(text.split()) == 5 and croniter.is_valid(text):
            return []
        return [f"{text!r} is not a five-field cron expression"]


@dataclass(frozen=True)
class Seconds:
    """A duration as "<n>s" within `minimum..maximum` seconds (Cloud Scheduler, Cloud KMS)."""

    minimum: float
    maximum: float | None = None

    def problems(self, value: Any) -> list[str]:
        match = re.fullmatch(r"([0-9]+(\.[0-9]{1,9})?)s", str(value))
        if not match:
            return [f"{value!r} is not a duration in seconds such as '180s'"]
        seconds = float(match.group(1))
        if seconds < self.minimum or (self.maximum is not None and seconds > self.maximum):
            most = f"{self.maximum:g}" if self.maximum is not None else "unbounded"
            return [f"{value!r} is outside {self.minimum:g}-{most} seconds"]
        return []


@dataclass(frozen=True)
class JobNameAndToken:
    """A Cloud Run job's name and run token together stay under 63 characters (the execution's name)."""

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        name, token = str(props.get("name") or ""), props.get("runExecutionToken")
        if token is None or len(name) + len(str(token)) < 63:
            return []
        return [f"name {name!r} and runExecutionToken are {len(name) + len(str(token))} characters together"]


@dataclass(frozen=True)
class CloudSqlInstanceId:
    """Lower-case letters, digits and hyphens, a letter first; project id, ':' and it within 98."""

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        name, project = str(props.get("name") or ""), str(props.get("project") or "")
        problems = (
            [] if re.fullmatch(r"[a-z][a-z0-9-]*", name) else [f"{name!r} is not lower-case a-z, 0-9, -"]
        )
        if len(project) + 1 + len(name) > 98:
            problems.append(
                f"'{project}:{name}' is {len(project) + 1 + len(name)} characters; the limit is 98"
            )
        return problems


@dataclass(frozen=True)
class CloudSqlMachine:
    """The tier, the edition (PostgreSQL 16+ defaults to ENTERPRISE_PLUS when unset) and the point-in-time
    log retention that edition allows."""

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        settings = props.get("settings") or {}
        if not isinstance(settings, Mapping) or not settings.get("tier"):
            return []
        version = re.fullmatch(r"POSTGRES_([0-9]+)", str(props.get("databaseVersion") or ""))
        default = "ENTERPRISE_PLUS" if version and int(version.group(1)) >= 16 else "ENTERPRISE"
        edition = str(settings.get("edition") or default)
        problems = cloud_sql_tier_problems(str(settings["tier"]), edition)
        days = (settings.get("backupConfiguration") or {}).get("transactionLogRetentionDays")
        most = {"ENTERPRISE": 7, "ENTERPRISE_PLUS": 35}.get(edition, 7)
        if days is not None and not 1 <= float(days) <= most:
            problems.append(f"transactionLogRetentionDays {days} is outside 1-{most} for {edition}")
        if settings.get("availabilityType") == "REGIONAL":
            backup = settings.get("backupConfiguration") or {}
            if not (backup.get("enabled") and backup.get("pointInTimeRecoveryEnabled")):
                problems.append("a REGIONAL PostgreSQL instance needs backups with point-in-time recovery")
        return problems


@dataclass(frozen=True)
class SoftDelete:
    """Cloud Storage soft delete: 0 (off) or 7-90 days, in seconds."""

    def problems(self, value: Any) -> list[str]:
        seconds = float(value)
        return [] if seconds == 0 or 604_800 <= seconds <= 7_776_000 else [f"{value} s is not 0 or 7-90 days"]
