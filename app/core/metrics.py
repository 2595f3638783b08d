"""CloudWatch Embedded Metric Format. Every name, unit and dimension set comes from `app.contract`."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from aws_embedded_metrics.config import get_config
from aws_embedded_metrics.logger.metrics_logger_factory import create_metrics_logger

from app.contract import DIM, METRICS_NAMESPACE, SERVICE_NAME, MetricSpec

logger = logging.getLogger(__name__)


class Metrics:
    def __init__(self, environment: str, emf_environment: str = "Local", enabled: bool = True) -> None:
        self.environment = environment
        self.enabled = enabled
        # Without "Local" the library ships to an agent on port 25888 that Fargate/Cloud Run do not run.
        get_config().environment = emf_environment

    def _record(self, values: Mapping[MetricSpec, float], dimension_values: Mapping[str, str]) -> Any:
        dimension_sets = {spec.dimensions for spec in values}
        if len(dimension_sets) != 1:
            raise ValueError("metrics emitted together must share their dimension sets")
        known = {DIM.SERVICE: SERVICE_NAME, DIM.ENVIRONMENT: self.environment, **dimension_values}
        record = create_metrics_logger()
        record.set_namespace(METRICS_NAMESPACE)
        record.set_dimensions(
            *({name: known[name] for name in dims} for dims in dimension_sets.pop()), use_default=False
        )
        for spec, value in values.items():
            record.put_metric(spec.name, value, spec.unit)
        return record

    async def emit(self, values: Mapping[MetricSpec, float], **dimension_values: str) -> None:
        """Publish metrics sharing one set of dimension sets in one EMF record."""
        if not self.enabled or not values:
            return
        try:
            await self._record(values, dimension_values).flush()
        except Exception as exc:  # metrics must never fail a request
            logger.warning("metrics flush failed", extra={"error_type": type(exc).__name__})

    def emit_sync(self, values: Mapping[MetricSpec, float], **dimension_values: str) -> None:
        """For the RQ worker and the nightly job, which have no event loop."""
        if not self.enabled or not values:
            return
        try:
            self._record(values, dimension_values).flush_sync()
        except Exception as exc:
            logger.warning("metrics flush failed", extra={"error_type": type(exc).__name__})
