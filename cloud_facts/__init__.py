"""Facts about the clouds and Pulumi: limits, enumerations, formats and naming rules, each stated once
with its source (an API reference, a provider's source file, a service's documentation page).

The bottom layer of the program: components, `stack_config` and `targets` read these facts to refuse a
bad setting before any resource exists and to size the names they make; the policy pack (`policies/`)
holds planned resources to the same facts. This package imports nothing of the project.

- `checks`: the kinds of limit (a length, a pattern, a range, ...) in which the facts are stated;
- `autonaming`: how Pulumi's providers name a resource the program leaves unnamed;
- `aws/`, `gcp/`: one module per service.
"""
