"""CloudWatch Embedded Metric Format. Every name, unit and dimension set comes from `app.contract`.

The API process buffers values and writes one EMF record per dimension combination each flush interval
(a record per request cost more than the request itself). Metrics read by Sum are summed in the buffer;
the others stay arrays of values, so percentiles and maximums remain exact.
The worker and the nightly job write immediately (`emit_sync`).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from aws_embedded_metrics.config import get_config
from aws_embedded_metrics.logger.metrics_logger_factory import create_metrics_logger

from app.contract import DIM, METRICS_NAMESPACE, SERVICE_NAME, MetricSpec
from app.core.periodic import PeriodicFlusher

logger = logging.getLogger(__name__)
MAX_VALUES_PER_RECORD = 100  # EMF's limit of values per metric in one record
# (the dimension sets, the dimension values): metrics sharing both share an EMF record.
DimensionKey = tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, str], ...]]


def _empty() -> dict[DimensionKey, dict[MetricSpec, list[float]]]:
    return defaultdict(lambda: defaultdict(list))


class Metrics(PeriodicFlusher):
    def __init__(
        self,
        environment: str,
        emf_environment: str = "Local",
        enabled: bool = True,
        flush_interval_seconds: float = 0.0,
    ) -> None:
        """`flush_interval_seconds` 0 writes every emit at once; above 0, values wait for `flush()`."""
        self.environment = environment
        self.enabled = enabled
        self.flush_interval_seconds = flush_interval_seconds
        self._pending: dict[DimensionKey, dict[MetricSpec, list[float]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self._keys: dict[tuple[tuple[MetricSpec, ...], tuple[tuple[str, str], ...]], DimensionKey] = {}
        # Without "Local" the library ships to an agent on port 25888 that Fargate/Cloud Run do not run.
        get_config().environment = emf_environment

    def _dimensions(
        self, values: Mapping[MetricSpec, Any], dimension_values: Mapping[str, str]
    ) -> DimensionKey:
        dimension_sets = {spec.dimensions for spec in values}
        if len(dimension_sets) != 1:
            raise ValueError("metrics emitted together must share their dimension sets")
        sets = dimension_sets.pop()
        known = {DIM.SERVICE: SERVICE_NAME, DIM.ENVIRONMENT: self.environment, **dimension_values}
        names = sorted({name for dims in sets for name in dims})
        return sets, tuple((name, known[name]) for name in names)

    def _record(self, series: Mapping[MetricSpec, list[float]], key: DimensionKey) -> Any:
        dimension_sets, dimension_values = key
        known = dict(dimension_values)
        record = create_metrics_logger()
        record.set_namespace(METRICS_NAMESPACE)
        record.set_dimensions(
            *({name: known[name] for name in dims} for dims in dimension_sets), use_default=False
        )
        for spec, values in series.items():
            for value in values:
                record.put_metric(spec.name, value, spec.unit)
        return record

    def _key(self, values: Mapping[MetricSpec, Any], dimension_values: Mapping[str, str]) -> DimensionKey:
        # The same few metric groups repeat on every request, and dimension values are route templates and
        # provider names, so this map stays small: work each key out once.
        lookup = (tuple(values), tuple(dimension_values.items()))
        key = self._keys.get(lookup)
        if key is None:
            key = self._keys[lookup] = self._dimensions(values, dimension_values)
        return key

    async def emit(self, values: Mapping[MetricSpec, float], **dimension_values: str) -> None:
        """Record metrics that share one set of dimension sets."""
        if not self.enabled or not values:
            return
        key = self._key(values, dimension_values)
        if self.flush_interval_seconds <= 0:
            await self._write({spec: [value] for spec, value in values.items()}, key)
            return
        pending = self._pending[key]
        for spec, value in values.items():
            series = pending[spec]
            if spec.statistic == "Sum" and series:
                series[0] += value  # read by Sum anyway: one summed value keeps records small
            else:
                series.append(value)

    def emit_sync(self, values: Mapping[MetricSpec, float], **dimension_values: str) -> None:
        """For the RQ worker and the nightly job, which have no event loop."""
        if not self.enabled or not values:
            return
        try:
            key = self._dimensions(values, dimension_values)
            self._record({spec: [value] for spec, value in values.items()}, key).flush_sync()
        except Exception as exc:
            logger.warning("metrics flush failed", extra={"error_type": type(exc).__name__})

    async def _write(self, series: Mapping[MetricSpec, list[float]], key: DimensionKey) -> None:
        try:
            await self._record(series, key).flush()
        except Exception as exc:  # metrics must never fail a request
            logger.warning("metrics flush failed", extra={"error_type": type(exc).__name__})

    async def flush(self) -> None:
        pending, self._pending = self._pending, _empty()
        for key, series in pending.items():
            longest = max(len(values) for values in series.values())
            for start in range(0, longest, MAX_VALUES_PER_RECORD):
                chunk = {
                    spec: values[start : start + MAX_VALUES_PER_RECORD]
                    for spec, values in series.items()
                    if values[start : start + MAX_VALUES_PER_RECORD]
                }
                await self._write(chunk, key)
