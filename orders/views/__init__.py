"""Pages of the orders app, one module per subject."""
