"""ECR: scanned, immutable, encrypted with the stack key, pruned by a lifecycle policy."""

from __future__ import annotations

from pulumi_policy import ReportViolation, Severity, StackValidationArgs

from policies.base import Props, depends_on, of_type, require, resource_rule, stack_rule
from policies.meta import RuleMeta

REPOSITORY = "aws:ecr/repository:Repository"
LIFECYCLE = "aws:ecr/lifecyclePolicy:LifecyclePolicy"


def _scan_on_push(props: Props) -> list[str]:
    scanning = props.get("imageScanningConfiguration") or {}
    return [] if scanning.get("scanOnPush") is True else ["images are not scanned on push"]


def _kms(props: Props) -> list[str]:
    configs = props.get("encryptionConfigurations") or []
    kinds = {c.get("encryptionType") for c in configs}
    return [] if kinds and kinds <= {"KMS", "KMS_DSSE"} else ["the repository is not encrypted with KMS"]


def lifecycle_attached(args: StackValidationArgs, report: ReportViolation) -> None:
    policies = of_type(args.resources, LIFECYCLE)
    for repository in of_type(args.resources, REPOSITORY):
        if not any(depends_on(p, "repository", repository) for p in policies):
            report(f"repository {repository.name} has no lifecycle policy", repository.urn)


ECR_POLICIES = [
    resource_rule(
        RuleMeta(
            "ecr-scan-on-push",
            "Images are scanned on push.",
            Severity.MEDIUM,
            "Set imageScanningConfiguration.scanOnPush true.",
            checkov=("CKV_AWS_163",),
            trivy=("AWS-0030",),
            fsbp=("ECR.1",),
        ),
        REPOSITORY,
        _scan_on_push,
    ),
    resource_rule(
        RuleMeta(
            "ecr-immutable-tags",
            "Image tags are immutable.",
            Severity.MEDIUM,
            "Set imageTagMutability IMMUTABLE (tags then change with every build input).",
            checkov=("CKV_AWS_51",),
            trivy=("AWS-0031",),
            fsbp=("ECR.2",),
        ),
        REPOSITORY,
        lambda p: require(p, "imageTagMutability", "IMMUTABLE", "image tags are mutable"),
    ),
    resource_rule(
        RuleMeta(
            "ecr-kms",
            "Repositories encrypt with KMS.",
            Severity.MEDIUM,
            "Add encryptionConfigurations with encryptionType KMS and the stack key.",
            checkov=("CKV_AWS_136",),
        ),
        REPOSITORY,
        _kms,
    ),
    stack_rule(
        RuleMeta(
            "ecr-lifecycle-policy",
            "Repositories prune old images.",
            Severity.LOW,
            "Attach an ecr.LifecyclePolicy (EcrRepository does).",
            category="cost",
            fsbp=("ECR.3",),
        ),
        lifecycle_attached,
    ),
]
