"""Launchpad's reusable ComponentResources, one per file."""
