"""Moving notices: polite fetching, crawling, the raw archive, parsing, the SQLite store,
the nightly job, audit queries and the command line."""
