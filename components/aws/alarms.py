"""A set of CloudWatch alarms that all notify one topic, and the composite alarm that pages for them.

Each alarm is an `AlarmSpec`: what it watches (a catalogued metric, or metric math over several), when it
breaches, how many periods must breach, what missing data means, and in words what a breach means and what
to do first, with the runbook section to read. Every spec is checked before anything is created: a metric
nobody publishes, a period CloudWatch refuses or a description too long fails the plan, not the deploy.
The alarms marked `pages` are the ones that mean users are affected; the composite alarm fires when any of
them does, and it is the one a pager subscribes to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pulumi
import pulumi_aws as aws

from cloud_facts.aws.cloudwatch import AlarmPeriod, alarm_evaluation_limit
from components.aws.metrics import Expression, Metric, MetricCatalogue, Watched, metric_problems, metrics_of

TreatMissing = Literal["breaching", "notBreaching", "ignore", "missing"]
Comparison = Literal[">", ">=", "<", "<="]
OPERATORS: dict[str, str] = {
    ">": "GreaterThanThreshold",
    ">=": "GreaterThanOrEqualToThreshold",
    "<": "LessThanThreshold",
    "<=": "LessThanOrEqualToThreshold",
}
DESCRIPTION_MAX = 1024  # PutMetricAlarm / PutCompositeAlarm AlarmDescription
EXPRESSION_MAX = 1024  # terraform-provider-aws metric_alarm.go (the API allows 2048)
QUERY_ID = re.compile(r"[a-z][a-zA-Z0-9_]*")
ROLE = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


@dataclass(frozen=True)
class AlarmSpec:
    role: str  # kebab-case, unique in its set: the alarm's name ends with it
    watch: Watched
    comparison: Comparison
    threshold: float
    evaluation_periods: int
    datapoints: int
    missing_data: TreatMissing
    means: str  # what a breach means, in a sentence
    first: str  # what to do first
    runbook: str  # the anchor of its section in the runbook
    pages: bool = False  # users are affected: part of the paging composite alarm

    def metrics(self) -> list[Metric]:
        return metrics_of(self.watch)


@dataclass(frozen=True)
class PagingSpec:
    alarm_name: str  # explicit: the pager's subscription filters on it
    means: str
    first: str
    runbook: str


@dataclass
class AlarmSetArgs:
    alarms: Sequence[AlarmSpec]  # one CloudWatch alarm each, checked before anything is created
    topic_arn: pulumi.Input[str]  # notified on ALARM and on OK
    runbook_url: str  # each alarm's description ends with this URL and its section anchor
    region: str  # where the alarms (and the topic) are: metrics must be readable there
    published: MetricCatalogue  # the metrics the app publishes: an alarm on one is checked against it
    # the composite alarm that pages for the alarms marked to page; None: none
    paging: PagingSpec | None = None


def description(means: str, first: str, runbook_url: str, anchor: str) -> str:
    return f"{means} First: {first} Runbook: {runbook_url}#{anchor}"


class AlarmSet(pulumi.ComponentResource):
    alarm_arns: dict[str, pulumi.Output[str]]  # by role
    paging_alarm_arn: pulumi.Output[str] | None
    billed_metrics: int  # CloudWatch bills each metric an alarm reads (metric math: each of its metrics)

    def __init__(self, name: str, args: AlarmSetArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _validate(args)
        super().__init__("launchpad:alarms:AlarmSet", name, None, opts)
        actions = [args.topic_arn]
        self.alarm_arns = {}
        for spec in args.alarms:
            alarm = aws.cloudwatch.MetricAlarm(
                f"{name}-{spec.role}",
                alarm_description=description(spec.means, spec.first, args.runbook_url, spec.runbook),
                comparison_operator=OPERATORS[spec.comparison],
                threshold=spec.threshold,
                evaluation_periods=spec.evaluation_periods,
                datapoints_to_alarm=spec.datapoints,
                treat_missing_data=spec.missing_data,
                actions_enabled=True,
                alarm_actions=actions,
                ok_actions=actions,
                opts=pulumi.ResourceOptions(parent=self),
                **watch_inputs(spec.watch),
            )
            self.alarm_arns[spec.role] = alarm.arn
        self.billed_metrics = sum(len(spec.metrics()) for spec in args.alarms)
        self.paging_alarm_arn = self._paging(name, args, actions) if args.paging else None
        self.register_outputs({"alarm_arns": self.alarm_arns, "paging_alarm_arn": self.paging_alarm_arn})

    def _paging(self, name: str, args: AlarmSetArgs, actions: list[pulumi.Input[str]]) -> pulumi.Output[str]:
        paging = args.paging
        assert paging is not None  # only called with one
        members = [self.alarm_arns[spec.role] for spec in args.alarms if spec.pages]
        rule = pulumi.Output.all(*members).apply(lambda arns: " OR ".join(f'ALARM("{arn}")' for arn in arns))
        composite = aws.cloudwatch.CompositeAlarm(
            f"{name}-paging",
            alarm_name=paging.alarm_name,
            alarm_description=description(paging.means, paging.first, args.runbook_url, paging.runbook),
            alarm_rule=rule,
            actions_enabled=True,
            alarm_actions=actions,
            ok_actions=actions,
            opts=pulumi.ResourceOptions(parent=self),
        )
        return composite.arn


def _metric_stat(metric: Metric) -> dict[str, Any]:
    return {
        "namespace": metric.namespace,
        "metric_name": metric.name,
        "dimensions": dict(metric.dimensions),
        "period": metric.period,
    }


def watch_inputs(watch: Watched) -> dict[str, Any]:
    """The MetricAlarm arguments that say what it reads: one metric, or metric math over several."""
    if isinstance(watch, Metric):
        stat = {"extended_statistic": watch.stat} if watch.is_percentile else {"statistic": watch.stat}
        percentile = {"evaluate_low_sample_count_percentiles": "ignore"} if watch.is_percentile else {}
        return _metric_stat(watch) | stat | percentile
    queries = [
        aws.cloudwatch.MetricAlarmMetricQueryArgs(
            id=query_id,
            metric=aws.cloudwatch.MetricAlarmMetricQueryMetricArgs(stat=metric.stat, **_metric_stat(metric)),
            return_data=False,
        )
        for query_id, metric in watch.metrics.items()
    ]
    result = aws.cloudwatch.MetricAlarmMetricQueryArgs(
        id="result", expression=watch.expression, label=watch.label, return_data=True
    )
    return {"metric_queries": [*queries, result]}


def spec_problems(spec: AlarmSpec, region: str, runbook_url: str, published: MetricCatalogue) -> list[str]:
    """Every way CloudWatch or the provider would refuse `spec`, or the alarm would watch nothing."""
    problems = [
        f"{spec.role}: {p}" for m in spec.metrics() for p in metric_problems(m, published, alarm=True)
    ]
    problems += [
        f"{spec.role}: {m.namespace} {m.name} is read in {m.region}, the alarm is in {region}"
        for m in spec.metrics()
        if m.region not in (None, region)
    ]
    period = spec.watch.period
    problems += [f"{spec.role}: {p}" for p in AlarmPeriod().problems(period)]
    window, limit = period * spec.evaluation_periods, alarm_evaluation_limit(period)
    if window > limit:
        problems.append(f"{spec.role}: evaluates {window} s of data; CloudWatch evaluates at most {limit} s")
    if not 1 <= spec.datapoints <= spec.evaluation_periods:
        problems.append(f"{spec.role}: datapoints {spec.datapoints} not within 1..{spec.evaluation_periods}")
    if isinstance(spec.watch, Expression):
        problems += _expression_problems(spec.role, spec.watch)
    if len(description(spec.means, spec.first, runbook_url, spec.runbook)) > DESCRIPTION_MAX:
        problems.append(f"{spec.role}: its description passes CloudWatch's {DESCRIPTION_MAX} characters")
    return problems


def _expression_problems(role: str, expression: Expression) -> list[str]:
    problems = [
        f"{role}: query id {i!r} breaks CloudWatch's id rule"
        for i in expression.metrics
        if not QUERY_ID.fullmatch(i)
    ]
    if len(expression.expression) > EXPRESSION_MAX:
        problems.append(f"{role}: expression longer than {EXPRESSION_MAX} characters")
    used = set(re.findall(r"[a-z][a-zA-Z0-9_]*", expression.expression))
    problems += [f"{role}: expression ignores metric {i!r}" for i in expression.metrics if i not in used]
    return problems


def _validate(args: AlarmSetArgs) -> None:
    roles = [spec.role for spec in args.alarms]
    problems = [f"role {r!r} is not kebab-case" for r in roles if not ROLE.fullmatch(r)]
    problems += [f"role {r!r} is used twice" for r in sorted(set(roles)) if roles.count(r) > 1]
    for spec in args.alarms:
        problems += spec_problems(spec, args.region, args.runbook_url, args.published)
    if args.paging is not None:
        pages = [spec for spec in args.alarms if spec.pages]
        if not pages:
            problems.append("a paging alarm needs at least one spec with pages=True")
        text = description(args.paging.means, args.paging.first, args.runbook_url, args.paging.runbook)
        if len(text) > DESCRIPTION_MAX:
            problems.append(f"the paging alarm's description passes {DESCRIPTION_MAX} characters")
    if problems:
        raise ValueError("AlarmSetArgs: " + "; ".join(problems))
