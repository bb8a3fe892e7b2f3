"""Public views of the grids app (contact card, QR, sign, lookup, JSON endpoints)."""
