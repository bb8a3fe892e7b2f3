"""Normalising typed addresses so that the ways people write them compare equal.

东十九巷 = 东19巷 = 东１９巷 (Chinese numerals through cn2an, full-width digits through NFKC);
3号楼 = 3栋 = 3幢 = 3座 = 3# = 3号; spaces and punctuation are dropped. Pinyin keys (full and
initials) are made from the normalised text, so "mhj" and "minghuajie" find 明华街.
"""

import re
import unicodedata
from functools import lru_cache

import cn2an
from pypinyin import lazy_pinyin

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


DIGIT_RUNS = re.compile(r"(\d+)")


@lru_cache(maxsize=65536)
def _segment_pinyin(segment):
    """(full, initials) of a run of text without digits; pypinyin reads it as a phrase."""
    if segment.isascii():
        return segment, segment
    syllables = [s.lower() for s in lazy_pinyin(segment)]
    return "".join(syllables), "".join(s[:1] for s in syllables)


def pinyin_keys(normalised):
    """(full pinyin, initials) of a normalised key, e.g. ("minghuajiedong19xiang", "mhjd19x").

    Keys are cut at their numbers and each piece is converted once and remembered: a city has
    hundreds of thousands of lanes but far fewer distinct street names.
    """
    full, initials = [], []
    for segment in DIGIT_RUNS.split(normalised):
        if not segment:
            continue
        if segment.isdigit():
            full.append(segment)
            initials.append(segment)
        else:
            f, i = _segment_pinyin(segment)
            full.append(f)
            initials.append(i)
    return "".join(full), "".join(initials)


def is_pinyin_query(normalised):
    """True when the query is Latin letters (and digits), to be matched against pinyin."""
    return bool(normalised) and normalised.isascii() and any(c.isalpha() for c in normalised)


def first_number(text):
    """The first whole number in a normalised text, or None."""
    match = FIRST_NUMBER.search(text)
    return int(match.group(0)) if match else None


# A lane in a normalised key: an optional road direction, its number and the lane word
# (明华街东19巷: street 明华街, direction 东, lane 19巷).
LANE = re.compile(r"([东西南北])?(\d+(?:巷|条|弄|胡同))")
WHOLE_LANE = re.compile(r"^(.*?)([东西南北])?(\d+(?:巷|条|弄|胡同))$")


def split_lane(place):
    """(street, direction or None, lane) of a normalised lane place, or None for other places."""
    match = WHOLE_LANE.match(place)
    if match is None:
        return None
    return match.group(1), match.group(2), match.group(3)


def lane_of(key):
    """(start, end, direction or None, lane) of the first lane in a typed key, or None."""
    match = LANE.search(key)
    if match is None:
        return None
    return match.start(), match.end(), match.group(1), match.group(2)
