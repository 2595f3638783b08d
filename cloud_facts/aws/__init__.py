"""What AWS and its Pulumi provider accept, one module per service."""
