"""Google Cloud networks: the subnet sizes Cloud Run's direct VPC egress and private services access need."""

from __future__ import annotations

# Direct VPC egress takes Cloud Run's addresses from a subnet: /26 or larger
# (https://cloud.google.com/run/docs/configuring/vpc-direct-vpc, IP address allocation); /16 is the widest
# here. Private services access allocates a range of /24 or larger for Cloud SQL and Memorystore
# (https://cloud.google.com/vpc/docs/configure-private-services-access#allocating-range).
RUN_SUBNET_PREFIX_RANGE = (16, 26)
PSA_PREFIX_RANGE = (16, 24)
