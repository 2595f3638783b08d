"""Permission rows for the edge: CloudFront (distribution and VPC origin), WAF, ACM and Route 53."""

from __future__ import annotations

from launchpad.access.model import ANY, Need, Op, When, input_set, row
from launchpad.access.sources import TAG_ON_CREATE, pike, sar

CLOUDFRONT, WAF = sar("amazoncloudfront"), sar("awswafv2")
CLOUDFRONT_TAGS = ("cloudfront:TagResource", "cloudfront:UntagResource")

ROWS = (
    row(
        "aws:cloudfront/vpcOrigin:VpcOrigin",
        sources=(pike("cloudfront/aws_cloudfront_vpc_origin"), CLOUDFRONT, TAG_ON_CREATE),
        arn="arn:{partition}:cloudfront::{account}:vpcorigin/{id}",
        create=(
            "cloudfront:CreateVpcOrigin",
            # CloudFront creates its service-linked role and the origin's network interfaces in the VPC.
            Need(
                "iam:CreateServiceLinkedRole",
                "arn:{partition}:iam::{account}:role/aws-service-role/vpcorigin.cloudfront.amazonaws.com/"
                "AWSServiceRoleForCloudFrontVPCOrigin",
                {"iam:AWSServiceName": "vpcorigin.cloudfront.amazonaws.com"},
            ),
            Need("ec2:DescribeSecurityGroups", ANY),
            Need("elasticloadbalancing:DescribeLoadBalancers", ANY),
        ),
        read=("cloudfront:GetVpcOrigin",),
        update=("cloudfront:UpdateVpcOrigin",),
        delete=("cloudfront:DeleteVpcOrigin",),
        tag=CLOUDFRONT_TAGS,
        tag_read=("cloudfront:ListTagsForResource",),
    ),
    row(
        "aws:cloudfront/distribution:Distribution",
        sources=(pike("cloudfront/aws_cloudfront_distribution"), CLOUDFRONT, TAG_ON_CREATE),
        arn="arn:{partition}:cloudfront::{account}:distribution/{id}",
        # With tags the provider calls the CreateDistributionWithTags API, which CloudFront authorises as
        # cloudfront:CreateDistribution and cloudfront:TagResource (the Service Authorization Reference).
        create=("cloudfront:CreateDistribution",),
        read=("cloudfront:GetDistribution",),
        update=("cloudfront:GetDistributionConfig", "cloudfront:UpdateDistribution"),
        delete=(
            "cloudfront:GetDistributionConfig",
            "cloudfront:UpdateDistribution",
            "cloudfront:DeleteDistribution",
        ),
        tag=CLOUDFRONT_TAGS,
        tag_read=("cloudfront:ListTagsForResource",),
        when=(
            When(
                input_set("webAclId"),
                "a WAF web ACL on the distribution (CloudFront checks the caller may associate it)",
                {
                    Op.CREATE: (Need("wafv2:GetWebACL", "{input:webAclId}"),),
                    Op.UPDATE: (Need("wafv2:GetWebACL", "{input:webAclId}"),),
                },
            ),
        ),
    ),
    row(
        "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
        sources=(pike("cloudfront/aws_cloudfront_response_headers_policy"), CLOUDFRONT),
        arn="arn:{partition}:cloudfront::{account}:response-headers-policy/{id}",
        # CreateResponseHeadersPolicy is authorised on "*": the policy has no ARN before it exists.
        create=(Need("cloudfront:CreateResponseHeadersPolicy", ANY),),
        read=("cloudfront:GetResponseHeadersPolicy",),
        update=("cloudfront:UpdateResponseHeadersPolicy",),
        delete=("cloudfront:DeleteResponseHeadersPolicy",),
    ),
    row(
        "aws:wafv2/webAcl:WebAcl",
        sources=(pike("wafv2/aws_wafv2_web_acl"), WAF, TAG_ON_CREATE),
        arn="{output:arn}",
        create=("wafv2:CreateWebACL",),
        read=("wafv2:GetWebACL",),
        update=("wafv2:UpdateWebACL",),
        delete=("wafv2:DeleteWebACL",),
        tag=("wafv2:TagResource", "wafv2:UntagResource"),
        tag_read=("wafv2:ListTagsForResource",),
    ),
    row(
        "aws:wafv2/webAclAssociation:WebAclAssociation",
        sources=(pike("wafv2/aws_wafv2_web_acl_association"), WAF),
        arn="{input:webAclArn}",
        create=(
            "wafv2:AssociateWebACL",
            Need("elasticloadbalancing:SetWebAcl", "{input:resourceArn}"),
        ),
        read=(Need("wafv2:GetWebACLForResource", "{input:resourceArn}"),),
        delete=(
            Need("wafv2:DisassociateWebACL", "{input:resourceArn}"),
            Need("elasticloadbalancing:SetWebAcl", "{input:resourceArn}"),
        ),
    ),
    row(
        "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
        sources=(
            pike("wafv2/aws_wafv2_web_acl_logging_configuration"),
            WAF,
            "AWS WAF Developer Guide, 'Permissions required to publish logs to CloudWatch Logs': "
            "wafv2:PutLoggingConfiguration, wafv2:DeleteLoggingConfiguration, logs:CreateLogDelivery, "
            "logs:DeleteLogDelivery, logs:PutResourcePolicy, logs:DescribeResourcePolicies, "
            "logs:DescribeLogGroups",
        ),
        arn="{input:resourceArn}",
        create=(
            "wafv2:PutLoggingConfiguration",
            Need("logs:CreateLogDelivery", ANY),
            Need("logs:PutResourcePolicy", ANY),
            Need("logs:DescribeResourcePolicies", ANY),
            Need("logs:DescribeLogGroups", ANY),
        ),
        read=("wafv2:GetLoggingConfiguration",),
        update=("wafv2:PutLoggingConfiguration", Need("logs:CreateLogDelivery", ANY)),
        delete=("wafv2:DeleteLoggingConfiguration", Need("logs:DeleteLogDelivery", ANY)),
    ),
    row(
        "aws:acm/certificate:Certificate",
        sources=(pike("acm/aws_acm_certificate"), sar("awscertificatemanager"), TAG_ON_CREATE),
        arn="arn:{partition}:acm:{region}:{account}:certificate/{id:uuid}",
        create=(Need("acm:RequestCertificate", ANY),),
        read=("acm:DescribeCertificate",),
        delete=("acm:DeleteCertificate",),
        tag=("acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate"),
        tag_read=("acm:ListTagsForCertificate",),
    ),
    row(
        "aws:acm/certificateValidation:CertificateValidation",
        sources=(pike("acm/aws_acm_certificate_validation"), sar("awscertificatemanager")),
        arn="{input:certificateArn}",
        create=("acm:DescribeCertificate",),
        read=("acm:DescribeCertificate",),
    ),
    row(
        "aws:route53/record:Record",
        sources=(pike("route53/aws_route53_record"), sar("amazonroute53")),
        arn="arn:{partition}:route53:::hostedzone/{input:zoneId}",
        create=(
            "route53:ChangeResourceRecordSets",
            Need("route53:GetChange", "arn:{partition}:route53:::change/C0123456789ABC"),
        ),
        read=("route53:ListResourceRecordSets", "route53:GetHostedZone"),
        update=("route53:ChangeResourceRecordSets",),
        delete=("route53:ChangeResourceRecordSets",),
    ),
)
