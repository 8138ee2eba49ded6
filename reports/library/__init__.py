"""One report per module; reports/registry.py finds them."""
