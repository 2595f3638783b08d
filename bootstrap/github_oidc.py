"""GitHub Actions' OIDC identity: the issuer, the audience AWS expects, and the `sub` each role trusts.

GitHub's token says where a job runs in its `sub` claim: `repo:<owner>/<name>:pull_request` for a pull
request's jobs, `repo:<owner>/<name>:ref:refs/heads/main` for a push or schedule on main, and
`repo:<owner>/<name>:environment:<env>` for any job that names a GitHub environment (which then replaces
the ref). Trust matches them exactly (StringEquals), never with wildcards, so no other repository,
branch, fork or environment can assume a role.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi

from components.iam_policy import Condition, Statement, policy_json

ISSUER_HOST = "token.actions.githubusercontent.com"
ISSUER_URL = f"https://{ISSUER_HOST}"
AWS_AUDIENCE = "sts.amazonaws.com"
MAIN_REF = "refs/heads/main"


def pull_request_subject(repository: str) -> str:
    return f"repo:{repository}:pull_request"


def main_branch_subject(repository: str) -> str:
    return f"repo:{repository}:ref:{MAIN_REF}"


def environment_subject(repository: str, environment: str) -> str:
    return f"repo:{repository}:environment:{environment}"


def trust_statement(provider_arn: pulumi.Input[str], subjects: Sequence[str]) -> Statement:
    """Web-identity trust for exactly these subjects of GitHub's tokens, audience AWS STS."""
    return Statement(
        sid="GitHubActionsOidc",
        actions=["sts:AssumeRoleWithWebIdentity"],
        principals={"Federated": [provider_arn]},
        conditions=[
            Condition("StringEquals", f"{ISSUER_HOST}:aud", [AWS_AUDIENCE]),
            Condition("StringEquals", f"{ISSUER_HOST}:sub", list(subjects)),
        ],
    )


def trust_policy(provider_arn: pulumi.Input[str], subjects: Sequence[str]) -> pulumi.Output[str]:
    if not subjects:
        raise ValueError("a GitHub role trusts at least one subject")
    return policy_json([trust_statement(provider_arn, subjects)])
