from __future__ import annotations

from app_testing import db_rows, flush_audit


def test_decision_is_served_and_audited_in_postgres(client, database_url) -> None:
    response = client.post("/v1/decisions", json={"message": "I want to cancel my subscription now"})
    assert response.status_code == 200
    body = response.json()
    assert (body["decision"], body["source"], body["cached"]) == ("escalate", "rules", False)
    assert flush_audit(client) == 1
    rows = db_rows(database_url, "SELECT decision, source, cached FROM decision_audit")
    assert [tuple(r) for r in rows] == [("escalate", "rules", False)]
