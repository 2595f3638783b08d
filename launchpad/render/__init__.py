"""Renderers of a PlanReport: `text` (terminal), `json` (docs/plan.schema.json), `markdown` (a PR comment)
and `sarif` (GitHub code scanning)."""
