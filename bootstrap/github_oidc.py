"""GitHub Actions' OIDC identity: the issuer, the audience AWS expects, and the `sub` each identity trusts.

Every job that assumes a Launchpad identity names a GitHub environment, so its token's `sub` is
`repo:<owner>/<name>:environment:<env>` (GitHub: "the environment replaces the ref"). Repositories created or
renamed after 2026-06-18 (or opted in) get the immutable form instead,
`repo:<owner>-<owner id>/<name>-<repository id>:environment:<env>` (GitHub changelog 2026-04-23, "Immutable
subject claims for GitHub Actions OIDC tokens"); a trust that matches only the name form refuses every
token of such a repository. The bootstrap trusts the form the repository uses (`githubSubjectForm`), and
matches it exactly (StringEquals): no other repository, fork or environment can assume an identity.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi

from components.iam_policy import Condition, Statement, policy_json

ISSUER_HOST = "token.actions.githubusercontent.com"
ISSUER_URL = f"https://{ISSUER_HOST}"
AWS_AUDIENCE = "sts.amazonaws.com"
MAIN_REF = "refs/heads/main"


def repository_claim(repository: str, owner_id: int, repository_id: int, form: str) -> str:
    """The repository part of `sub`: `owner/name`, or `owner-<id>/name-<id>` in the immutable form."""
    if form == "name":
        return repository
    owner, name = repository.split("/", 1)
    return f"{owner}-{owner_id}/{name}-{repository_id}"


def environment_subject(repository_claim: str, environment: str) -> str:
    return f"repo:{repository_claim}:environment:{environment}"


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
