"""Monthly cost estimate of a planned stack: a dated price table, a usage file, per-resource components."""
