"""What an estimate is made of: components (quantity x unit price) per resource, and what was not priced."""

from __future__ import annotations

from dataclasses import dataclass, field

from launchpad.cost.prices import PRICES


@dataclass(frozen=True)
class CostComponent:
    name: str
    unit: str
    quantity: float
    unit_price: float
    usage_based: bool  # from the usage file, not from the plan alone
    price_key: str = ""  # the row of the price table

    @property
    def monthly(self) -> float:
        return self.quantity * self.unit_price


def component(name: str, price_key: str, quantity: float, *, usage_based: bool = False) -> CostComponent:
    price = PRICES[price_key]
    return CostComponent(name, price.unit, quantity, price.usd, usage_based, price_key)


@dataclass
class ResourceCost:
    name: str
    resource_type: str
    components: list[CostComponent]

    @property
    def monthly(self) -> float:
        return sum(c.monthly for c in self.components)


@dataclass(frozen=True)
class Unpriced:
    name: str
    resource_type: str
    reason: str


class NotPriced(Exception):
    """The price table has no row for this resource as configured (an instance class, say)."""


@dataclass
class CostEstimate:
    stack: str
    price_table_date: str
    usage_source: str
    resources: list[ResourceCost]
    external: list[ResourceCost]  # billed outside the clouds (AI providers)
    free: list[Unpriced] = field(default_factory=list)  # no charge, with the reason
    unpriced: list[Unpriced] = field(default_factory=list)  # no price known: never counted as zero
    assumptions: list[str] = field(default_factory=list)  # prices assumed, not listed, that it uses

    @property
    def cloud_monthly(self) -> float:
        return sum(r.monthly for r in self.resources)

    @property
    def external_monthly(self) -> float:
        return sum(r.monthly for r in self.external)

    @property
    def total_monthly(self) -> float:
        return self.cloud_monthly + self.external_monthly
