"""Importing organisations from CSV or XLSX: read, check every row, then write in bulk.

The file is read whole (23,000 rows are a few megabytes), every row is checked against the
same rules as the registration form, and only then is anything written:

* "all or nothing": any error means nothing is written; otherwise every row is written in one
  transaction, so a failure half-way (a crash, a BIN registered meanwhile) leaves no trace;
* "valid rows": rows with errors are reported and skipped; the others are written in batches,
  each batch in its own transaction together with its strands, so no row is ever half-saved.

Rows are matched to existing organisations by BIN: a re-import updates them instead of
duplicating them. Writes use prepared statements in batches, and the organisations' history
gets one record per row naming the import.

- ``columns``: the columns a file may have, and the downloadable templates;
- ``reading``: a CSV or XLSX file into a header and rows of text;
- ``checks``: one checker per column, and ``check_rows`` that runs them over every row;
- ``writing``: the bulk inserts and updates, with their history records;
- ``jobs``: one uploaded file from queued to done, as the background task runs it.
"""
