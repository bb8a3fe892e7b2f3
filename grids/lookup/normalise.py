"""Normalising typed addresses so that the ways people write them compare equal.

东十九巷 = 东19巷 = 东１９巷 (Chinese numerals through cn2an, full-width digits through NFKC);
3号楼 = 3栋 = 3幢 = 3座 = 3# = 3号; spaces and punctuation are dropped. Pinyin keys (full and
initials) are made from the normalised text, so "mhj" and "minghuajie" find 明华街.
"""

import re
import unicodedata
from functools import lru_cache

import cn2an
from pypinyin import Style, lazy_pinyin

# 万 and 亿 are left alone: they appear in names (万科, 万达) far more often than in addresses.
NUMERAL_RUN = re.compile(r"[零〇一二两三四五六七八九十百千]+")
BUILDING_WORDS = re.compile(r"(\d+)\s*(?:号楼|号栋|号幢|号座|栋|幢|座|#楼|#)")
DROP = re.compile(r"[\s\u3000·・,，。.、;；:：'\"“”‘’()（）\[\]【】<>《》\-—_/\\|!！?？]+")
FIRST_NUMBER = re.compile(r"\d+")


@lru_cache(maxsize=4096)
def _numeral(run):
    try:
        return str(cn2an.cn2an(run, "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return run


def normalise(text):
    """The comparison key of a place or address: NFKC, lower case, Arabic numerals, 号."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    text = NUMERAL_RUN.sub(lambda m: _numeral(m.group(0)), text)
    text = BUILDING_WORDS.sub(r"\1号", text)
    return DROP.sub("", text)


@lru_cache(maxsize=65536)
def pinyin_keys(normalised):
    """(full pinyin, initials) of a normalised key, e.g. ("minghuajiedong19xiang", "mhjd19x")."""
    full = "".join(lazy_pinyin(normalised))
    initials = "".join(lazy_pinyin(normalised, style=Style.FIRST_LETTER))
    return full.lower(), initials.lower()


def is_pinyin_query(normalised):
    """True when the query is Latin letters (and digits), to be matched against pinyin."""
    return bool(normalised) and normalised.isascii() and any(c.isalpha() for c in normalised)


def first_number(text):
    """The first whole number in a normalised text, or None."""
    match = FIRST_NUMBER.search(text)
    return int(match.group(0)) if match else None
