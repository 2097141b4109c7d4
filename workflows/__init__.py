"""The rules of the REIS engine, in pure Python: no Flask, no database session."""
