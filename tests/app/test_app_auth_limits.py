"""Authentication under attack: the per-IP limit comes before the key is looked at, the client address is
the right X-Forwarded-For hop, and the key caches are bounded."""

from __future__ import annotations

import secrets

MESSAGE = {"message": "Where can I find my invoices?"}


def count_lookups(client) -> list[str]:
    store = client.app.state.services.api_key_store
    lookups: list[str] = []
    original = store._lookup

    def counting(key_hash: str):
        lookups.append(key_hash)
        return original(key_hash)

    store._lookup = counting
    return lookups


def test_invalid_keys_are_rate_limited_per_ip_before_any_lookup(make_client) -> None:
    client = make_client(rate_limit_per_ip="5/minute")
    lookups = count_lookups(client)
    statuses = [
        client.post("/v1/decisions", json=MESSAGE, headers={"X-API-Key": secrets.token_hex(16)}).status_code
        for _ in range(8)
    ]
    assert statuses == [401] * 5 + [429] * 3
    assert len(lookups) == 5  # the refused ones cost no database lookup


def test_an_unknown_key_is_looked_up_once_per_cache_period(make_client) -> None:
    client = make_client()
    lookups = count_lookups(client)
    for _ in range(3):
        assert (
            client.post("/v1/decisions", json=MESSAGE, headers={"X-API-Key": "nope-1234"}).status_code == 401
        )
    assert len(lookups) == 1


def test_configured_keys_need_no_lookup(client) -> None:
    lookups = count_lookups(client)
    assert client.post("/v1/decisions", json=MESSAGE).status_code == 200
    assert lookups == []


def test_random_keys_do_not_grow_the_key_caches_past_their_bound(make_client) -> None:
    client = make_client(api_key_cache_size=50, rate_limit_per_ip="100000/minute")
    for _ in range(300):
        client.post("/v1/decisions", json=MESSAGE, headers={"X-API-Key": secrets.token_hex(16)})
    assert client.app.state.services.api_key_store.cached_entries <= 100  # the found and the not-found maps


def test_clients_behind_the_load_balancer_are_limited_one_by_one(make_client) -> None:
    client = make_client(rate_limit_per_ip="2/minute", trusted_proxy_hops=1)

    def post(forwarded_for: str) -> int:
        return client.post(
            "/v1/decisions", json=MESSAGE, headers={"X-Forwarded-For": forwarded_for}
        ).status_code

    assert [post("198.51.100.1"), post("198.51.100.1")] == [200, 200]
    assert post("198.51.100.2") == 200  # another client, the same load balancer
    # What the client writes itself is left of the balancer's entry: it changes nothing.
    assert post("203.0.113.9, 198.51.100.1") == 429


def test_two_trusted_hops_take_the_entry_cloudfront_added(make_client) -> None:
    client = make_client(rate_limit_per_ip="1/minute", trusted_proxy_hops=2)
    headers = {"X-Forwarded-For": "203.0.113.9, 198.51.100.7, 10.0.0.5"}  # spoof, client, CloudFront edge
    assert client.post("/v1/decisions", json=MESSAGE, headers=headers).status_code == 200
    other_edge = {"X-Forwarded-For": "198.51.100.7, 10.0.0.6"}
    assert client.post("/v1/decisions", json=MESSAGE, headers=other_edge).status_code == 429
