"""Pure domain: standard library only; no I/O, no clock reads, no sleeping."""
