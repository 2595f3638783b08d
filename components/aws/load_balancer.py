"""The Application Load Balancer in front of the web tasks: internet-facing, or internal behind CloudFront.

Internet-facing, its security group is the only one admitting 0.0.0.0/0 (80, and 443 when HTTPS exists),
and HTTPS uses an ACM certificate issued here (DNS-validated in a Route 53 zone) or an existing one.
Internal, it sits in private subnets and its group admits nothing until the proxy in front of it (the
CloudFront VPC origin, components/aws/cdn.py) adds the one rule for itself. Either way the targets' group
admits only the ALB's group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.aws.certificate import alias_records, dns_validated_certificate
from components.aws.security_rules import private_service_group
from components.naming import fitted_name, fitted_name_output

TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"  # TLS 1.3 and 1.2 only, forward-secret ciphers
ELB_NAME_MAX = 32


@dataclass
class HttpsArgs:
    domain_name: str  # the name clients use; the certificate is for it
    hosted_zone_id: str = ""  # issue and DNS-validate a certificate, and alias the name to the ALB
    certificate_arn: str = ""  # or use this certificate (DNS for the name is then the owner's)


@dataclass
class LoadBalancerArgs:
    vpc_id: pulumi.Input[str]  # the VPC of the load balancer's and the targets' security groups
    subnet_ids: pulumi.Input[Sequence[str]]  # public subnets, one per zone
    container_port: int  # the port the web tasks listen on; only the ALB's group reaches it
    health_check_path: str  # the route the target group's health check GETs
    deregistration_delay_seconds: int  # how long a stopping target keeps its in-flight requests
    deletion_protection: bool  # ELB refuses to delete the load balancer while this is on
    https: HttpsArgs | None = None  # a certificate for a domain of yours; None: HTTP only (behind CloudFront)
    # False: an internal load balancer in private subnets, reachable only from what its front adds.
    internet_facing: bool = True
    access_log_bucket: pulumi.Input[str] | None = None  # the bucket access logs go to; None: no access logs
    access_log_prefix: str = "alb"  # their key prefix in that bucket
    # Resources that must exist before the ALB: ELB checks it may write to the log bucket at creation.
    depends_on: Sequence[pulumi.Resource] = field(default_factory=list)


class LoadBalancer(pulumi.ComponentResource):
    arn: pulumi.Output[str]
    dns_name: pulumi.Output[str]
    security_group_id: pulumi.Output[str]
    targets_security_group_id: pulumi.Output[str]
    target_group_arn: pulumi.Output[str]
    request_count_label: pulumi.Output[str]  # "<alb arn suffix>/<target group arn suffix>" for scaling
    # The LoadBalancer and TargetGroup dimension values of the ALB's CloudWatch metrics.
    arn_suffix: pulumi.Output[str]
    target_group_arn_suffix: pulumi.Output[str]
    url: pulumi.Output[str]
    https_enabled: bool

    def __init__(self, name: str, args: LoadBalancerArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _validate(args)
        super().__init__("launchpad:load_balancer:LoadBalancer", name, None, opts)
        self._name, self._child = name, pulumi.ResourceOptions(parent=self)
        self.https_enabled = args.https is not None
        alb_sg, targets_sg = self._security_groups(args)
        alb = aws.lb.LoadBalancer(
            f"{name}-alb",
            # ALB names are at most 32 characters: autonaming overflows for longer stack names.
            # `internal` replaces the load balancer, so it is part of the name (see naming.py).
            name=fitted_name(name, "alb", ELB_NAME_MAX, keepers=[_scheme(args)]),
            load_balancer_type="application",
            internal=not args.internet_facing,
            subnets=args.subnet_ids,
            security_groups=[alb_sg.id],
            drop_invalid_header_fields=True,
            desync_mitigation_mode="strictest",
            enable_deletion_protection=args.deletion_protection,
            idle_timeout=60,
            access_logs=aws.lb.LoadBalancerAccessLogsArgs(
                bucket=args.access_log_bucket, prefix=args.access_log_prefix, enabled=True
            )
            if args.access_log_bucket is not None
            else None,
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(args.depends_on)),
        )
        target_group = self._target_group(args)
        forwarding = self._listeners(alb, target_group, args.https)
        self.arn = alb.arn
        self.dns_name = alb.dns_name
        self.security_group_id = alb_sg.id
        self.targets_security_group_id = targets_sg.id
        # ECS refuses a service whose target group no listener uses yet: handing the ARN out only once
        # the forwarding listener exists makes every consumer wait for it.
        self.target_group_arn = pulumi.Output.all(target_group.arn, forwarding.arn).apply(lambda v: v[0])
        self.arn_suffix = alb.arn_suffix
        self.target_group_arn_suffix = target_group.arn_suffix
        self.request_count_label = pulumi.Output.concat(alb.arn_suffix, "/", target_group.arn_suffix)
        self.url = (
            pulumi.Output.from_input(f"https://{args.https.domain_name}")
            if args.https
            else pulumi.Output.concat("http://", alb.dns_name)
        )
        self.register_outputs(
            {
                "arn": self.arn,
                "dns_name": self.dns_name,
                "url": self.url,
                "target_group_arn": self.target_group_arn,
            }
        )

    def _security_groups(self, args: LoadBalancerArgs) -> tuple[aws.ec2.SecurityGroup, aws.ec2.SecurityGroup]:
        name, child = self._name, self._child
        alb_sg = aws.ec2.SecurityGroup(
            f"{name}-alb-sg",
            vpc_id=args.vpc_id,
            description=f"{name}: {_scheme(args)} load balancer",
            opts=child,
        )
        public_ports = ((80, 443) if self.https_enabled else (80,)) if args.internet_facing else ()
        for port in public_ports:
            aws.vpc.SecurityGroupIngressRule(
                f"{name}-alb-in-{port}",
                security_group_id=alb_sg.id,
                cidr_ipv4="0.0.0.0/0",
                ip_protocol="tcp",
                from_port=port,
                to_port=port,
                description=f"public {'HTTPS' if port == 443 else 'HTTP'}",
                opts=child,
            )
        targets_sg = private_service_group(
            f"{name}-targets",
            vpc_id=args.vpc_id,
            client_group_id=alb_sg.id,
            port=args.container_port,
            service="web",
            client="alb",
            opts=child,
        )
        return alb_sg, targets_sg

    def _target_group(self, args: LoadBalancerArgs) -> aws.lb.TargetGroup:
        return aws.lb.TargetGroup(
            f"{self._name}-tg",
            # At most 32 characters; the inputs that replace a target group are in the name, so its
            # replacement is created (and the listener moved to it) before the old one is deleted.
            name=fitted_name_output(
                self._name, "tg", ELB_NAME_MAX, [str(args.container_port), "HTTP", "ip", args.vpc_id]
            ),
            target_type="ip",  # awsvpc tasks register by IP
            port=args.container_port,
            protocol="HTTP",
            vpc_id=args.vpc_id,
            deregistration_delay=args.deregistration_delay_seconds,
            health_check=aws.lb.TargetGroupHealthCheckArgs(
                enabled=True,
                path=args.health_check_path,
                protocol="HTTP",
                matcher="200",
                interval=15,
                timeout=5,
                healthy_threshold=2,
                unhealthy_threshold=3,
            ),
            opts=self._child,
        )

    def _listeners(
        self, alb: aws.lb.LoadBalancer, target_group: aws.lb.TargetGroup, https: HttpsArgs | None
    ) -> aws.lb.Listener:
        """The listener that forwards to the targets (HTTPS when there is a certificate)."""
        name, child = self._name, self._child
        forward = aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=target_group.arn)
        if https is None:
            return aws.lb.Listener(
                f"{name}-http",
                load_balancer_arn=alb.arn,
                port=80,
                protocol="HTTP",
                default_actions=[forward],
                opts=child,
            )
        forwarding = aws.lb.Listener(
            f"{name}-https",
            load_balancer_arn=alb.arn,
            port=443,
            protocol="HTTPS",
            ssl_policy=TLS_POLICY,
            certificate_arn=self._certificate(alb, https),
            default_actions=[forward],
            opts=child,
        )
        redirect = aws.lb.ListenerDefaultActionRedirectArgs(
            protocol="HTTPS", port="443", status_code="HTTP_301"
        )
        aws.lb.Listener(
            f"{name}-http",
            load_balancer_arn=alb.arn,
            port=80,
            protocol="HTTP",
            default_actions=[aws.lb.ListenerDefaultActionArgs(type="redirect", redirect=redirect)],
            opts=child,
        )
        return forwarding

    def _certificate(self, alb: aws.lb.LoadBalancer, https: HttpsArgs) -> pulumi.Input[str]:
        if https.certificate_arn:
            return https.certificate_arn
        alias_records(
            self._name,
            domain_name=https.domain_name,
            hosted_zone_id=https.hosted_zone_id,
            target_dns_name=alb.dns_name,
            target_zone_id=alb.zone_id,
            parent=self,
            evaluate_target_health=True,
        )
        # The listener waits until ACM has issued the certificate.
        return dns_validated_certificate(
            self._name, domain_name=https.domain_name, hosted_zone_id=https.hosted_zone_id, parent=self
        )


def _scheme(args: LoadBalancerArgs) -> str:
    return "internet-facing" if args.internet_facing else "internal"


def _validate(args: LoadBalancerArgs) -> None:
    if not 1 <= args.container_port <= 65535:
        raise ValueError("LoadBalancerArgs.container_port must be a TCP port")
    if not args.health_check_path.startswith("/"):
        raise ValueError("LoadBalancerArgs.health_check_path must be an absolute path")
    if not 0 <= args.deregistration_delay_seconds <= 3600:
        raise ValueError("LoadBalancerArgs.deregistration_delay_seconds must be 0-3600")
    https = args.https
    if https is not None and bool(https.hosted_zone_id) == bool(https.certificate_arn):
        raise ValueError("HttpsArgs needs exactly one of hosted_zone_id and certificate_arn")
    if https is not None and not args.internet_facing:
        raise ValueError("an internal load balancer serves HTTP to its fronting proxy; give it no HttpsArgs")
