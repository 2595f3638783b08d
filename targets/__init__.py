"""One module per deployment target; each composes components and returns the outputs to export."""
