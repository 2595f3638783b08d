"""Runs the Pulumi program with no cloud and no CLI: recording mocks, the real stack files, an inventory."""
