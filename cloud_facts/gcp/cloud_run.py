"""Cloud Run (services, jobs and worker pools): CPU and memory, probes, and a job's execution name."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

RUN_DOCS = "https://cloud.google.com/run/docs/configuring/services/"
# Cloud Run memory (RUN_DOCS + "memory-limits"): the second-generation environment needs at least 512 MiB,
# no instance has more than 32 GiB, and memory above each bound needs at least that many CPUs.
RUN_MEMORY_MIN_GEN2_MIB = 512
RUN_MEMORY_MAX_MIB = 32 * 1024
RUN_CPUS_FOR_MEMORY_MIB: tuple[tuple[int, int], ...] = (
    (24 * 1024, 8),
    (16 * 1024, 6),
    (8 * 1024, 4),
    (4 * 1024, 2),
)
# ... and CPU (RUN_DOCS + "cpu"): whole CPUs are 1, 2, 4, 6 or 8; 4 CPUs need at least 2 GiB, 6 or 8 at
# least 4 GiB (terraform-provider-google cloudrunv2 resource_cloud_run_v2_service.go, resources.limits).
# Below 1 CPU a service must serve one request at a time with CPU only during requests.
RUN_WHOLE_CPUS = (1, 2, 4, 6, 8)
RUN_MEMORY_MIB_FOR_CPUS = {4: 2048, 6: 4096, 8: 4096}
RUN_MIN_FRACTIONAL_CPU = 0.08
# Service and worker-pool ids: a letter first, no trailing hyphen, fewer than 50 characters (REST v2
# projects.locations.services/create serviceId, projects.locations.workerPools/create workerPoolId); job
# ids up to 63 (projects.locations.jobs/create jobId).
RUN_NAME_MAX = 49
RUN_JOB_NAME_MAX = 63
# Cloud Run sets PORT to the container port and refuses it among a container's variables
# (https://cloud.google.com/run/docs/container-contract#env-vars).
RUN_PORT_ENV = "PORT"

_MEMORY = re.compile(r"([1-9][0-9]*)(Mi|Gi|M|G)")
_BYTES = {"Mi": 2**20, "Gi": 2**30, "M": 10**6, "G": 10**9}


def memory_mib(text: str) -> int | None:
    """A Kubernetes quantity such as 512Mi, 2Gi or 1G, in MiB (rounded down); None if not one."""
    match = _MEMORY.fullmatch(text)
    if not match:
        return None
    return int(match.group(1)) * _BYTES[match.group(2)] // 2**20


def cpu_count(text: str) -> float | None:
    """A CPU quantity ("1", "0.5", "500m") as a number of CPUs; None if not one."""
    try:
        return int(text[:-1]) / 1000 if text.endswith("m") else float(text)
    except ValueError:
        return None


def run_sizing_problems(cpu: float, memory: int, *, gen2: bool = True) -> list[str]:
    """What Cloud Run refuses in `cpu` CPUs with `memory` MiB (services, jobs and worker pools alike)."""
    problems = []
    if cpu >= 1 and cpu not in RUN_WHOLE_CPUS:
        problems.append(f"cpu {cpu:g} is not one of {', '.join(map(str, RUN_WHOLE_CPUS))} (or below 1)")
    if cpu < RUN_MIN_FRACTIONAL_CPU:
        problems.append(f"cpu {cpu:g} is below Cloud Run's least, {RUN_MIN_FRACTIONAL_CPU}")
    if gen2 and memory < RUN_MEMORY_MIN_GEN2_MIB:
        problems.append(f"{memory} MiB is below the {RUN_MEMORY_MIN_GEN2_MIB} MiB of the second generation")
    if memory > RUN_MEMORY_MAX_MIB:
        problems.append(f"{memory} MiB is above Cloud Run's {RUN_MEMORY_MAX_MIB // 1024} GiB")
    needed = next((cpus for bound, cpus in RUN_CPUS_FOR_MEMORY_MIB if memory > bound), 0)
    if cpu < needed:
        problems.append(f"{memory} MiB needs at least {needed} CPUs, not {cpu:g}")
    least = RUN_MEMORY_MIB_FOR_CPUS.get(int(cpu), 0) if cpu == int(cpu) else 0
    if memory < least:
        problems.append(f"{cpu:g} CPUs need at least {least} MiB of memory, not {memory}")
    return problems


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
class JobNameAndToken:
    """A Cloud Run job's name and run token together stay under RUN_JOB_NAME_MAX characters (the
    execution's name, `<job>-<token>`)."""

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        name, token = str(props.get("name") or ""), props.get("runExecutionToken")
        if token is None or len(name) + len(str(token)) < RUN_JOB_NAME_MAX:
            return []
        return [f"name {name!r} and runExecutionToken are {len(name) + len(str(token))} characters together"]
