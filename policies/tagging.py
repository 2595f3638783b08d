"""Resource types the program creates whose inputs take `tags` (AWS) or `labels` (GCP, where the provider's
`default_labels` fill them): the cost-tag rule checks these. tests/infra/test_policy_metadata.py keeps the
lists equal to what the SDKs say."""

from __future__ import annotations

AWS_TAGGABLE = frozenset(
    {
        "aws:acm/certificate:Certificate",
        "aws:appautoscaling/target:Target",
        "aws:budgets/budget:Budget",
        "aws:cloudfront/distribution:Distribution",
        "aws:cloudfront/vpcOrigin:VpcOrigin",
        "aws:cloudwatch/compositeAlarm:CompositeAlarm",
        "aws:cloudwatch/logDelivery:LogDelivery",
        "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
        "aws:cloudwatch/logDeliverySource:LogDeliverySource",
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
        "aws:ec2/eip:Eip",
        "aws:ec2/flowLog:FlowLog",
        "aws:ec2/internetGateway:InternetGateway",
        "aws:ec2/natGateway:NatGateway",
        "aws:ec2/routeTable:RouteTable",
        "aws:ec2/securityGroup:SecurityGroup",
        "aws:ec2/subnet:Subnet",
        "aws:ec2/vpc:Vpc",
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        "aws:ecr/repository:Repository",
        "aws:ecs/cluster:Cluster",
        "aws:ecs/service:Service",
        "aws:ecs/taskDefinition:TaskDefinition",
        "aws:elasticache/replicationGroup:ReplicationGroup",
        "aws:elasticache/subnetGroup:SubnetGroup",
        "aws:iam/role:Role",
        "aws:kms/key:Key",
        "aws:lb/listener:Listener",
        "aws:lb/loadBalancer:LoadBalancer",
        "aws:lb/targetGroup:TargetGroup",
        "aws:rds/instance:Instance",
        "aws:rds/parameterGroup:ParameterGroup",
        "aws:rds/subnetGroup:SubnetGroup",
        "aws:s3/bucket:Bucket",
        "aws:secretsmanager/secret:Secret",
        "aws:sns/topic:Topic",
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "aws:wafv2/webAcl:WebAcl",
    }
)

GCP_LABELABLE = frozenset(
    {
        "gcp:artifactregistry/repository:Repository",
        "gcp:cloudrunv2/job:Job",
        "gcp:cloudrunv2/service:Service",
        "gcp:cloudrunv2/workerPool:WorkerPool",
        "gcp:compute/globalAddress:GlobalAddress",
        "gcp:kms/cryptoKey:CryptoKey",
        "gcp:monitoring/notificationChannel:NotificationChannel",
        "gcp:redis/instance:Instance",
        "gcp:secretmanager/secret:Secret",
        "gcp:storage/bucket:Bucket",
    }
)
