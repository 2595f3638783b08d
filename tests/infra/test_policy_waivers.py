"""Waivers: per rule and resource, justified, dated; expired ones come back; bad ones are refused."""

from __future__ import annotations

import datetime

import pytest

from offline.policy_check import PolicyConfigError, review
from offline.program import ProgramRun
from policies import waivers
from tests.infra.policy_plans import one

SINGLE_AZ = one("aws:rds/instance:Instance", {"multiAz": False})


def _review(waiver: dict, today: datetime.date = datetime.date(2026, 12, 1)):  # type: ignore[no-untyped-def]
    token = waivers.TODAY.set(lambda: today)
    try:
        config = {"rds-multi-az": {"enforcementLevel": "mandatory", "waivers": [waiver]}}
        return review(ProgramRun("prod", SINGLE_AZ(), {}, []), config)
    finally:
        waivers.TODAY.reset(token)


WAIVER = {"resource": "r", "justification": "staging runs one zone until March", "expires": "2027-03-31"}


def test_a_waiver_in_force_hides_the_finding_and_is_listed() -> None:
    result = _review(WAIVER)
    assert not [v for v in result.violations if v.policy == "rds-multi-az"]
    [used] = result.waivers_used
    assert (used.waiver.rule, used.resource, used.expired) == ("rds-multi-az", "r", False)


def test_a_waiver_covers_resources_by_pattern_and_only_those() -> None:
    assert not [v for v in _review({**WAIVER, "resource": "r*"}).violations if v.policy == "rds-multi-az"]
    assert [v for v in _review({**WAIVER, "resource": "other"}).violations if v.policy == "rds-multi-az"]


def test_an_expired_waiver_is_a_violation_that_says_so() -> None:
    result = _review(WAIVER, today=datetime.date(2027, 4, 1))
    [found] = [v for v in result.violations if v.policy == "rds-multi-az"]
    assert found.level == "mandatory" and "[waiver expired 2027-03-31" in found.message
    assert result.waivers_used[0].expired


def test_a_waiver_is_valid_through_its_expiry_date() -> None:
    assert not [
        v for v in _review(WAIVER, today=datetime.date(2027, 3, 31)).violations if v.policy == "rds-multi-az"
    ]


@pytest.mark.parametrize(
    "bad",
    [
        {"resource": "r", "expires": "2027-03-31"},
        {"resource": "r", "justification": "   ", "expires": "2027-03-31"},
        {"resource": "r", "justification": "because we want to", "expires": "next spring"},
        {"resource": "r", "justification": "because we want to"},
    ],
)
def test_a_waiver_without_justification_or_date_is_refused(bad: dict) -> None:
    with pytest.raises(PolicyConfigError, match=r"rds-multi-az\.waivers"):
        _review(bad)


def test_config_for_a_policy_the_pack_lacks_is_refused() -> None:
    with pytest.raises(PolicyConfigError, match="no-such-rule"):
        review(ProgramRun("prod", SINGLE_AZ(), {}, []), {"no-such-rule": "advisory"})
