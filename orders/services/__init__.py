"""Order services: the only code that changes orders; stock moves through stock.services."""
