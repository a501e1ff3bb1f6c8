"""`roadworthy scan` and `roadworthy merge`: many repositories, one report.

targets → (cache) → pool of workers (worker: one repository → one entry) → document → files.
The document (``scan.json``) is the only input of the CSV and HTML renderers, so a merge of
shard reports renders exactly what one full scan would.
"""
