"""An ACM certificate validated through a Route 53 zone, and the alias record that points a name at AWS.

Shared by the load balancer (certificate in the stack's region) and CloudFront (certificate in
us-east-1, the only region CloudFront reads certificates from).
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws


def dns_validated_certificate(
    name: str,
    *,
    domain_name: str,
    hosted_zone_id: str,
    parent: pulumi.Resource,
    region: str | None = None,
) -> pulumi.Output[str]:
    """The ARN of an issued certificate for `domain_name`; whatever uses it waits for the issue."""
    child = pulumi.ResourceOptions(parent=parent)
    certificate = aws.acm.Certificate(
        f"{name}-certificate", domain_name=domain_name, validation_method="DNS", region=region, opts=child
    )
    # One name, so exactly one validation record.
    option = certificate.domain_validation_options.apply(lambda options: options[0])
    record = aws.route53.Record(
        f"{name}-certificate-validation-record",
        zone_id=hosted_zone_id,
        name=option.apply(lambda o: o.resource_record_name or ""),
        type=option.apply(lambda o: o.resource_record_type or "CNAME"),
        records=[option.apply(lambda o: o.resource_record_value or "")],
        ttl=300,
        allow_overwrite=True,
        opts=child,
    )
    validation = aws.acm.CertificateValidation(
        f"{name}-certificate-validation",
        certificate_arn=certificate.arn,
        validation_record_fqdns=[record.fqdn],
        region=region,
        opts=child,
    )
    return validation.certificate_arn


def alias_records(
    name: str,
    *,
    domain_name: str,
    hosted_zone_id: str,
    target_dns_name: pulumi.Input[str],
    target_zone_id: pulumi.Input[str],
    parent: pulumi.Resource,
    record_types: tuple[str, ...] = ("A",),
    evaluate_target_health: bool = False,  # Route 53 cannot evaluate a CloudFront target's health
) -> None:
    """`domain_name` as an alias of an AWS endpoint (one record per address family)."""
    for record_type in record_types:
        aws.route53.Record(
            f"{name}-alias" if record_type == "A" else f"{name}-alias-{record_type.lower()}",
            zone_id=hosted_zone_id,
            name=domain_name,
            type=record_type,
            aliases=[
                aws.route53.RecordAliasArgs(
                    name=target_dns_name,
                    zone_id=target_zone_id,
                    evaluate_target_health=evaluate_target_health,
                )
            ],
            opts=pulumi.ResourceOptions(parent=parent),
        )
