"""Components that make AWS resources (VPC, ECS on Fargate, RDS, ElastiCache, S3, CloudFront, CloudWatch,
...), one per file, and the AWS-only helpers they share."""
