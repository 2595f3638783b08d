"""Launchpad's reusable ComponentResources, one per file, in one folder per cloud: `aws/`, `gcp/` and
`local/` (Docker). Beside them the helpers every cloud shares: physical names (`naming`), the app image
built once for every registry (`app_image`), typed IAM policy documents (`iam_policy`, which the
bootstrap program reads too). A component's type token (`launchpad:<module>:<Type>`) is part of every
child's URN and never changes when its file moves (tests/infra/test_component_tokens.py pins them)."""
