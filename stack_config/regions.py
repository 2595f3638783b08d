"""The regions a stack may name: AWS's from botocore's own endpoint data, Google Cloud's from the Cloud Run
locations page (no installed Google library ships a region list: pulumi-gcp and google-cloud-* take any
string and leave the API to refuse it at `pulumi up`)."""

from __future__ import annotations

import difflib
from functools import cache

import botocore.loaders

# The program writes `arn:aws:` ARNs, so only the commercial partition's regions deploy.
AWS_PARTITION = "aws"

# https://cloud.google.com/run/docs/locations (read 2026-12): every region offering Cloud Run services and
# jobs, Tier 1 pricing first, then Tier 2. The stack's Cloud Run service and Artifact Registry live there.
GCP_TIER1_REGIONS = (
    "asia-east1", "asia-northeast1", "asia-northeast2", "europe-north1", "europe-southwest1",
    "europe-west1", "europe-west4", "europe-west8", "europe-west9", "me-west1", "us-central1", "us-east1",
    "us-east4", "us-east5", "us-south1", "us-west1",
)  # fmt: skip
GCP_TIER2_REGIONS = (
    "africa-south1", "asia-east2", "asia-northeast3", "asia-southeast1", "asia-southeast2", "asia-south1",
    "asia-south2", "australia-southeast1", "australia-southeast2", "europe-central2", "europe-west10",
    "europe-west12", "europe-west2", "europe-west3", "europe-west6", "me-central1", "me-central2",
    "northamerica-northeast1", "northamerica-northeast2", "southamerica-east1", "southamerica-west1",
    "us-west2", "us-west3", "us-west4",
)  # fmt: skip
GCP_REGIONS = frozenset(GCP_TIER1_REGIONS + GCP_TIER2_REGIONS)


@cache
def aws_regions() -> frozenset[str]:
    """The commercial partition's regions, as the installed botocore knows them (`endpoints.json`)."""
    endpoints = botocore.loaders.create_loader().load_data("endpoints")
    partition = next(p for p in endpoints["partitions"] if p["partition"] == AWS_PARTITION)
    return frozenset(partition["regions"])


def _suggestion(value: str, known: frozenset[str]) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    return f"did you mean {close[0]}? " if close else ""


def region_problems(aws_region: str | None, gcp_region: str | None) -> list[str]:
    """`aws:region` and `gcp:region` when set: each a region its cloud has, else one problem naming the
    closest one. (Whether a key is required is the caller's business.)"""
    problems = []
    if aws_region and aws_region not in aws_regions():
        problems.append(
            f"aws:region: {aws_region!r} is not an AWS region ({_suggestion(aws_region, aws_regions())}"
            f"botocore knows {len(aws_regions())}; China and GovCloud are other partitions, which this "
            "program's arn:aws: ARNs do not serve). Fix: pulumi config set aws:region us-east-1"
        )
    if gcp_region and gcp_region not in GCP_REGIONS:
        problems.append(
            f"gcp:region: {gcp_region!r} is not a Cloud Run region ({_suggestion(gcp_region, GCP_REGIONS)}"
            "see https://cloud.google.com/run/docs/locations). Fix: pulumi config set gcp:region us-central1"
        )
    return problems
