"""Reports of the shipped stacks, built once per session from the plans the other tests share."""

from __future__ import annotations

from launchpad.cost.estimate import estimate
from launchpad.cost.usage import load_usage
from launchpad.report import PlanReport, build_report
from offline.policy_check import review
from offline.program import ProgramRun


def report_of(run: ProgramRun) -> PlanReport:
    return build_report(run, review(run), estimate(run, load_usage(run.config_source or run.stack)))
