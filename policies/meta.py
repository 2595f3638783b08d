"""What every rule carries besides its check: id, severity, remediation and where scanners know it.

The fields map onto pulumi-policy's own (`severity`, `remediation_steps`, `framework`, `url`, `tags`), so
Pulumi Cloud, `pulumi preview` and `launchpad plan` show the same metadata. Ids come from
docs/reference/policy-catalogue.md: Checkov (CKV_*), Trivy (AWS-xxxx), AWS Security Hub's Foundational
Security Best Practices (FSBP) and the CIS AWS Foundations Benchmark where one exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pulumi_policy import PolicyComplianceFramework, Severity

Category = Literal["security", "availability", "operations", "cost", "deploy"]

FSBP = "AWS Foundational Security Best Practices"
CIS = "CIS AWS Foundations Benchmark"
CIS_VERSION = "3.0.0"
CHECKOV_INDEX = "https://www.checkov.io/5.Policy%20Index/terraform.html"
SECURITY_HUB = "https://docs.aws.amazon.com/securityhub/latest/userguide/"


@dataclass(frozen=True)
class RuleMeta:
    id: str
    description: str
    severity: Severity
    remediation: str
    category: Category = "security"
    checkov: tuple[str, ...] = ()
    trivy: tuple[str, ...] = ()
    fsbp: tuple[str, ...] = ()
    cis: tuple[str, ...] = ()
    url: str | None = None  # where the rule is written down; derived from the mapping when None

    @property
    def framework(self) -> PolicyComplianceFramework:
        """pulumi-policy holds one framework per policy: FSBP first, then CIS, then Checkov, else ours."""
        if self.fsbp:
            return PolicyComplianceFramework(FSBP, "1.0.0", ", ".join(self.fsbp))
        if self.cis:
            return PolicyComplianceFramework(CIS, CIS_VERSION, ", ".join(self.cis))
        if self.checkov:
            return PolicyComplianceFramework("Checkov", None, ", ".join(self.checkov))
        return PolicyComplianceFramework("Launchpad", None, self.id)

    @property
    def tags(self) -> list[str]:
        """Every mapping, so a reviewer can search a scanner's id and land on our rule."""
        return [
            self.category,
            *(f"checkov:{i}" for i in self.checkov),
            *(f"trivy:{i}" for i in self.trivy),
            *(f"fsbp:{i}" for i in self.fsbp),
            *(f"cis-aws-{CIS_VERSION}:{i}" for i in self.cis),
        ]

    @property
    def help_url(self) -> str | None:
        if self.url:
            return self.url
        if self.fsbp:  # "RDS.2" -> rds-controls.html#rds-2
            service, number = self.fsbp[0].split(".")
            return f"{SECURITY_HUB}{service.lower()}-controls.html#{service.lower()}-{number}"
        return CHECKOV_INDEX if self.checkov else None


# Severity names as the reports print them, and GitHub code scanning's `security-severity` scores
# (critical >= 9.0, high 7.0-8.9, medium 4.0-6.9, low < 4.0).
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
}
