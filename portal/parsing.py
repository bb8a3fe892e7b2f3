"""Reading numbers and codes that come from a URL or a query string: every public view uses these.

Anything can arrive there. `str.isdigit()` is true for "²" and "١٢" (which `int()` refuses or
reads as another number), integers past 64 bits overflow the database's lookups, and PostgreSQL
refuses a NUL character in a query. These helpers turn each such value into None, which the
view treats as "names nothing" (a 404, or the unfiltered list with a message).
"""

import re

# The largest id any table holds (a signed 64-bit integer, SQLite's and PostgreSQL's bigint).
MAX_ID = 2**63 - 1
# Longer codes, slugs and keys than any the portal makes.
MAX_CODE_LENGTH = 100

_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")
# C0 and C1 control characters (NUL among them), DEL, and lone surrogates, which cannot be
# encoded to UTF-8 for the database.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def parse_int(value, minimum=0, maximum=MAX_ID):
    """`value` as an int when it is 1–19 ASCII digits between `minimum` and `maximum`, else None.

    Surrounding spaces are allowed; signs, Unicode digits and anything else are not."""
    if value is None:
        return None
    text = str(value).strip()
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def parse_id(value):
    """A database id (1 … 2**63-1) from a URL or form value, or None."""
    return parse_int(value, 1, MAX_ID)


def parse_text(value, max_length=MAX_CODE_LENGTH):
    """`value` stripped, when it is at most `max_length` characters without control characters
    (NUL among them) or lone surrogates; None otherwise. An empty value gives ""."""
    if value is None:
        return None
    text = str(value).strip()
    if len(text) > max_length or _CONTROL.search(text):
        return None
    return text


class IdConverter:
    """The `<id:…>` path converter: like `<int:…>`, but only ids a table can hold match, so an
    out-of-range number is a 404 rather than an overflow in the database."""

    regex = "[0-9]{1,19}"

    def to_python(self, value):
        number = parse_id(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value):
        return str(value)
