"""Checks on Cloud Run revision templates and other Google Cloud inputs that read several properties."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from policies.deploy.gcp_facts import cpu_count, memory_mib, run_sizing_problems


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
