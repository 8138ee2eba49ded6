"""One selector per dataset, shared by report pages, downloads and the API.

Every selector aggregates in PostgreSQL (group by, window functions, date truncation) and
returns aggregated rows only; none loads raw ledger or order rows into Python for a total.
"""
