from __future__ import annotations

from app_testing import emf_records

from app import contract
from app.core.metrics import MAX_VALUES_PER_RECORD, Metrics


async def test_buffered_values_are_written_as_arrays_of_at_most_100(capsys) -> None:
    metrics = Metrics("production", flush_interval_seconds=60)
    for latency in range(250):
        await metrics.emit({contract.REQUESTS: 1, contract.REQUEST_LATENCY: latency}, Route="/v1/decisions")
    await metrics.emit({contract.REQUESTS: 1, contract.REQUEST_LATENCY: 7}, Route="/health")
    assert emf_records(capsys.readouterr().out) == []  # nothing written before the flush

    await metrics.flush()

    records = emf_records(capsys.readouterr().out)
    by_route: dict[str, list[float]] = {}
    for record in records:
        latencies = record[contract.REQUEST_LATENCY.name]
        latencies = latencies if isinstance(latencies, list) else [latencies]
        assert len(latencies) <= MAX_VALUES_PER_RECORD
        assert record[contract.DIM.ENVIRONMENT] == "production"
        by_route.setdefault(record[contract.DIM.ROUTE], []).extend(latencies)
    assert sorted(by_route["/v1/decisions"]) == list(range(250))
    assert by_route["/health"] == [7]
    assert len(records) == 4
    requests = {
        r[contract.DIM.ROUTE]: r.get(contract.REQUESTS.name, 0)
        for r in records
        if contract.REQUESTS.name in r
    }
    assert requests == {"/v1/decisions": 250, "/health": 1}  # counts are summed, not listed


async def test_unbuffered_metrics_write_at_once(capsys) -> None:
    metrics = Metrics("local")
    await metrics.emit({contract.CACHE_HITS: 1})
    [record] = emf_records(capsys.readouterr().out)
    assert record[contract.CACHE_HITS.name] == 1
