"""Import a sales history (invoice lines) from CSV or XLSX, as a business moving off
spreadsheets brings its past sales.

Modules, in the order a file meets them: `reading` (stream rows), `columns` (which column is
which field), `parsing` (dates and numbers), `planning` (check every line, write nothing),
`services` (store, preview, start), `applying` (the all-or-nothing import, run by
`reports.tasks.sales_history_import`) and `progress` (reported outside its transaction).
"""
