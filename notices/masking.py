"""Masking of personal data (脱敏): the one function every page and check goes through.

`mask(text)` hides ID numbers, mobile numbers and landlines found anywhere in a text;
`mask(name, as_name=True)` also masks a person's name (张*三, 张*). Masking is idempotent:
masked text comes back unchanged. `find_unmasked(text)` names what is still unmasked, for the
checks that refuse to publish.
"""

import bisect
import re
from dataclasses import dataclass

# Full-width digits and letters are mapped one-to-one onto ASCII before matching, so the
# positions found apply to the original text and ０１２ cannot slip through.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９ＸｘＯ－　", "0123456789XxO- ")
_BIRTH = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
# 18-digit resident ID (GB 11643): region, birth date (18xx-20xx), sequence, check digit or X.
ID_18 = rf"[1-9]\d{{5}}(?:18|19|20)\d{{2}}{_BIRTH}\d{{3}}[\dXx]"
# 15-digit first-generation ID: region, two-digit birth year, birth date, sequence.
ID_15 = rf"[1-9]\d{{5}}\d{{2}}{_BIRTH}\d{{3}}"
# Mobile: 11 digits beginning 13-19, optionally written 138 1234 5678 or 138-1234-5678,
# optionally with the +86 / 0086 prefix.
MOBILE = r"(?:(?:\+|00)86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}"
# Landline: area code 0xx or 0xxx, then 7-8 digits (separators allowed), or a bare 7-8 digit
# number after 电话/座机/Tel.
LANDLINE = r"0\d{2,3}[ -]?\d{3,4}[ -]?\d{4}"

# Digits directly before or after a match make it part of a longer number (an order or
# account number, a masked value): those are not ID numbers or phones.
_EDGE_BEFORE = r"(?<![\dA-Za-z*])"
_EDGE_AFTER = r"(?![\dXx*])"
_PATTERNS = [
    ("id_number", re.compile(_EDGE_BEFORE + rf"(?:{ID_18}|{ID_15})" + _EDGE_AFTER)),
    ("mobile", re.compile(r"(?<![\d*])" + MOBILE + r"(?![\d*])")),
    ("landline", re.compile(r"(?<![\d*])" + LANDLINE + r"(?![\d*])")),
]

KIND_LABELS = {"id_number": "身份证号", "mobile": "手机号码", "landline": "固定电话"}


@dataclass(frozen=True)
class Finding:
    kind: str  # id_number, mobile or landline
    start: int
    end: int
    text: str

    @property
    def label(self):
        return KIND_LABELS[self.kind]


def _normalise(text):
    return text.translate(_FULL_WIDTH)


def find_personal_data(text, *, landlines=True):
    """Every ID number, mobile (and landline) in `text`, without overlaps, in order.

    Kinds are matched in order of precedence (ID numbers, then mobiles, then landlines); a
    later kind's match that overlaps an earlier one is dropped.
    """
    if not text:
        return []
    text = str(text)
    normal = _normalise(text)
    starts, ends, found = [], [], []  # the taken spans, kept sorted and non-overlapping
    for kind, pattern in _PATTERNS:
        if kind == "landline" and not landlines:
            continue
        for match in pattern.finditer(normal):
            start, end = match.span()
            position = bisect.bisect_left(starts, start)
            if position < len(starts) and starts[position] < end:
                continue
            if position > 0 and ends[position - 1] > start:
                continue
            starts.insert(position, start)
            ends.insert(position, end)
            found.insert(position, Finding(kind, start, end, text[start:end]))
    return found


def find_unmasked(text):
    """The unmasked ID numbers and mobile numbers in `text` (landlines are often offices')."""
    return find_personal_data(text, landlines=False)


def _mask_digits(value, keep_start, keep_end):
    """Replace digits (and X) with * except the first keep_start and last keep_end of them."""
    positions = [i for i, char in enumerate(_normalise(value)) if char.isdigit() or char in "Xx"]
    hidden = set(positions[keep_start : len(positions) - keep_end])
    return "".join("*" if i in hidden else char for i, char in enumerate(value))


def _mask_finding(finding):
    text = finding.text
    if finding.kind == "id_number":
        return _mask_digits(text, 2, 3)
    if finding.kind == "mobile":
        digits = re.sub(r"\D", "", _normalise(text))
        prefix_digits = len(digits) - 11  # 86 or 0086
        return _mask_digits(text, prefix_digits + 3, 4)
    # Landline: keep the area code and the last two digits.
    area = re.match(r"0\d{2,3}", _normalise(text)).group(0)
    area_len = 3 if area.startswith(("01", "02")) else len(area)
    return _mask_digits(text, area_len, 2)


def mask_name(name):
    """张三 -> 张*, 张小三 -> 张*三, 欧阳小明 -> 欧**明; already masked names stay as they are."""
    name = (name or "").strip()
    if not name or "*" in name or "某" in name:
        return name
    if " " in name:  # a name in Latin letters: keep each word's initial
        return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())
    if len(name) == 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask(value, *, as_name=False, landlines=True):
    """The text with every ID number, mobile and landline masked; with `as_name`, the whole
    value is a person's name and is masked as one (张*三). Safe to apply twice."""
    if value is None:
        return ""
    text = str(value)
    if as_name:
        text = mask_name(text)
    pieces, last = [], 0
    for finding in find_personal_data(text, landlines=landlines):
        pieces.append(text[last : finding.start])
        pieces.append(_mask_finding(finding))
        last = finding.end
    pieces.append(text[last:])
    return "".join(pieces)
