"""What Google Cloud and its Pulumi provider accept, one module per service."""
