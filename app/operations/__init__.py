"""One function per use case. Each takes the acting user and plain data,
checks permission, changes state through ``workflows``, writes history, and
owns its transaction (``write_transaction``)."""
