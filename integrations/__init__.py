"""Webhooks: other systems (ERP, accounting, e-commerce) told about stock and order events."""
