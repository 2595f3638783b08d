"""AWS rules, one module per service (`s3.py`, `rds.py`, ...); `AWS_POLICIES` gathers them."""
