"""Text analysis for the search index: jieba words for Chinese, plain words for Latin text, pinyin.

Chinese runs are cut into words by rjieba (the Rust port of jieba) without its HMM guesser, so
the same characters are always cut the same way in a document and in a query. Every word of
three or more characters also yields its two-character pieces at the same position, so a search
for 网格 finds 网格化管理 and one for 核酸 finds 核酸检测 even where jieba keeps the longer word.
Latin runs are split on non-word characters and lower-cased. Full-width letters and digits are
folded to their ASCII forms first (length-preserving, so character offsets stay valid for
highlighting).

Words the dictionary lacks — street, community and grid names — come from *word sources*:
callables returning words, listed in the `PORTAL_SEARCH_WORD_SOURCES` setting (a dotted path,
or `(dotted path, ["app_label.Model", …])` naming the models whose saves refresh the dictionary)
or registered with `register_word_source(source, models=[…])` — the grids app does this in its
`AppConfig.ready()`, so portal never imports it. A save or delete of a watched model raises the
"search-words" data version (portal.versions) in its own transaction, and every process rebuilds
its dictionary when it sees a new number: at its next request or worker job run (which read the
versions once anyway), elsewhere at most `WORDS_CHECK_EVERY` seconds later. Documents indexed
before a new word arrived are cut the old way until `update_index` runs.
"""

import functools
import logging
import re
import threading
import time

import rjieba
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils.module_loading import import_string
from pypinyin import Style, lazy_pinyin
from whoosh.analysis import Token, Tokenizer

from portal import versions

logger = logging.getLogger(__name__)

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK_RUN = re.compile(f"[{CJK}]+")
CJK_CHAR = re.compile(f"[{CJK}]")
LATIN_WORD = re.compile(r"[^\W_]+")
ASCII_LETTERS = re.compile(r"^[a-z]+$")

# Full-width ASCII (！ to ～) and the ideographic space fold to their half-width forms.
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20

# Particles and connectives that carry no meaning on their own in a query.
STOP_WORDS_ZH = frozenset(
    {"的", "了", "和", "与", "及", "或", "是", "在", "对", "把", "被", "之", "其", "并", "也"}
    | {"都", "就", "而", "以", "于", "将", "从", "由", "这", "那", "啊", "吗", "呢"}
)
STOP_WORDS_EN = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of"}
    | {"on", "or", "that", "the", "this", "to", "with"}
)

# Words of community grid work that jieba's general dictionary lacks or splits.
DOMAIN_WORDS = (
    "网格员",
    "网格长",
    "网格化",
    "专职网格员",
    "兼职网格员",
    "楼栋长",
    "单元长",
    "低保户",
    "公示期",
    "一封信",
    "社区服务中心",
    "便民服务",
    "民情日志",
    "好差评",
    "网格公示牌",
    "服务联系卡",
)

# Outside a request or a job run (a command indexing many documents), how often a process asks
# the database whether the dictionary changed (seconds).
WORDS_CHECK_EVERY = 2.0

_sources = []
_connected_models = set()
_state = {"segmenter": None, "version": None, "checked": 0.0}
_lock = threading.Lock()


def normalize(text):
    """Fold full-width ASCII to half-width without changing the text's length."""
    return text.translate(_FULLWIDTH)


def is_cjk(text):
    return bool(CJK_CHAR.search(text))


# Word sources -------------------------------------------------------------------------------


def register_word_source(source, models=()):
    """Add a callable returning words for the segmenter; saves of `models` refresh it."""
    if source not in _sources:
        _sources.append(source)
    for model in models:
        _connect_model(model)
    # Every process registers its sources at start-up: rebuild this process's dictionary
    # without telling the others (their sources are the same).
    _state["segmenter"] = None


def unregister_word_source(source):
    """Remove a word source added by `register_word_source` (tests use this)."""
    if source in _sources:
        _sources.remove(source)
        _state["segmenter"] = None


def _on_model_change(sender, **kwargs):
    if not kwargs.get("raw", False):
        invalidate_words()


def _connect_model(model):
    if model in _connected_models:
        return
    _connected_models.add(model)
    post_save.connect(_on_model_change, sender=model, weak=False)
    post_delete.connect(_on_model_change, sender=model, weak=False)


def connect_word_source_signals():
    """Called from AppConfig.ready(): sources in settings may name models as (path, [labels])."""
    from django.apps import apps

    for entry in getattr(settings, "PORTAL_SEARCH_WORD_SOURCES", ()):
        if isinstance(entry, (list, tuple)):
            for label in entry[1]:
                _connect_model(apps.get_model(label))


def _configured_sources():
    sources = []
    for entry in getattr(settings, "PORTAL_SEARCH_WORD_SOURCES", ()):
        path = entry[0] if isinstance(entry, (list, tuple)) else entry
        sources.append(import_string(path) if isinstance(path, str) else path)
    return sources + list(_sources)


def collect_words():
    """Every word the sources give today: two to twenty characters, at least one Chinese."""
    words = set()
    for source in _configured_sources():
        try:
            for word in source() or ():
                word = normalize(str(word)).strip()
                if 2 <= len(word) <= 20 and is_cjk(word) and not any(c.isspace() for c in word):
                    words.add(word)
        except Exception:
            logger.exception("search word source %r failed; its words are left out", source)
    return sorted(words)


def invalidate_words():
    """Tell every process to rebuild its segmenter dictionary at its next check: the new version
    commits (or rolls back) with the change that called this."""
    versions.bump(versions.SEARCH_WORDS)
    _state["checked"] = 0.0


class Segmenter:
    """A jieba instance with the domain words and the word sources' words added."""

    def __init__(self, extra_words=()):
        self.jieba = rjieba.Jieba()
        self.added = set()
        for word in (*DOMAIN_WORDS, *extra_words):
            if not self.jieba.has_word(word):
                self.jieba.add_word(word, None, None)
            self.added.add(word)

    def words(self, run):
        """(word, start, end) for a run of Chinese characters."""
        return self.jieba.tokenize(run, mode="default", hmm=False)

    def has_word(self, word):
        return self.jieba.has_word(word)


def get_segmenter():
    """This process's segmenter, rebuilt when the dictionary's version ("search-words") changed.

    Within a request or a job run the version numbers are already in memory (one read each), so
    every call checks; elsewhere a read is a query, made at most every `WORDS_CHECK_EVERY`."""
    now = time.monotonic()
    segmenter = _state["segmenter"]
    if (
        segmenter is not None
        and not versions.remembering()
        and now - _state["checked"] < WORDS_CHECK_EVERY
    ):
        return segmenter
    try:
        version = versions.current(versions.SEARCH_WORDS)
    except Exception:  # no database here (a forked index writer): the dictionary as it was
        version = _state["version"]
    with _lock:
        _state["checked"] = now
        if _state["segmenter"] is None or version != _state["version"]:
            _state["segmenter"] = Segmenter(collect_words())
            _state["version"] = version
        return _state["segmenter"]


# Tokens --------------------------------------------------------------------------------------


def iter_tokens(text, subwords=True, segmenter=None):
    """Yield (term, position, startchar, endchar) for `text`.

    Stop words are dropped before positions are counted, so a phrase matches across them.
    With `subwords`, words of three or more Chinese characters also yield their two-character
    pieces (and the longer dictionary words inside it) at the word's own position.
    """
    if not text:
        return
    text = normalize(text)
    segmenter = segmenter or get_segmenter()
    position = 0
    cursor = 0
    for match in CJK_RUN.finditer(text):
        if match.start() > cursor:
            for latin in LATIN_WORD.finditer(text, cursor, match.start()):
                term = latin.group().lower()
                if term not in STOP_WORDS_EN:
                    yield term, position, latin.start(), latin.end()
                    position += 1
        base = match.start()
        for word, start, end in segmenter.words(match.group()):
            if word in STOP_WORDS_ZH:
                continue
            yield word, position, base + start, base + end
            if subwords and len(word) >= 3:
                for size in range(2, len(word)):
                    for offset in range(len(word) - size + 1):
                        piece = word[offset : offset + size]
                        if size == 2 or segmenter.has_word(piece):
                            first = base + start + offset
                            yield piece, position, first, first + size
            position += 1
        cursor = match.end()
    if cursor < len(text):
        for latin in LATIN_WORD.finditer(text, cursor):
            term = latin.group().lower()
            if term not in STOP_WORDS_EN:
                yield term, position, latin.start(), latin.end()
                position += 1


def segment(text):
    """The words of `text` as the index sees them, without sub-word pieces."""
    return [term for term, *_ in iter_tokens(text, subwords=False)]


def query_units(text):
    """Split a query into units: ("term", [word]) or ("phrase", [words]).

    Runs of single Chinese characters (names jieba does not know, cut into characters) become
    phrases, so 明华 matches the two characters side by side rather than anywhere.
    """
    tokens = [(term, pos) for term, pos, *_ in iter_tokens(text, subwords=False)]
    units = []
    run = []

    def flush():
        if len(run) == 1:
            units.append(("term", run[:]))
        elif run:
            units.append(("phrase", run[:]))
        run.clear()

    last_pos = None
    for term, pos in tokens:
        single = len(term) == 1 and is_cjk(term)
        if single and (not run or last_pos == pos - 1):
            run.append(term)
        else:
            flush()
            if single:
                run.append(term)
            else:
                units.append(("term", [term]))
        last_pos = pos
    flush()
    return units


def highlight_terms(text):
    """The terms whose occurrences a result snippet should mark for this query."""
    terms = set()
    for _kind, words in query_units(text):
        terms.update(words)
        if len(words) > 1:
            terms.add("".join(words))
    return terms


class ChineseTokenizer(Tokenizer):
    """Whoosh tokenizer over `iter_tokens`; queries get whole words, documents also pieces."""

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __hash__(self):
        return hash(self.__class__.__name__)

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        for term, position, start, end in iter_tokens(value, subwords=mode != "query"):
            token.text = term
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = term
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


# Pinyin --------------------------------------------------------------------------------------


def pinyin_terms(text, span=3):
    """Full pinyin and initials of each word of `text` and of runs of up to `span` words,
    and of the whole text: 核酸检测安排 gives hesuan, hs, hesuanjiance, hsjc, … hsjcap."""
    words = [_word_pinyin(word) for word in segment(text) if is_cjk(word)]
    fulls = [full for full, _initials in words]
    initials = [initials for _full, initials in words]
    terms = set()
    for parts in (fulls, initials):
        for start in range(len(parts)):
            for size in range(1, span + 1):
                if start + size <= len(parts):
                    terms.add("".join(parts[start : start + size]))
        terms.add("".join(parts))
    return sorted(term for term in terms if ASCII_LETTERS.match(term))


@functools.lru_cache(maxsize=50_000)
def _word_pinyin(word):
    """(full pinyin, initials) of one word; titles repeat their words, and pypinyin is slow."""
    full = "".join(lazy_pinyin(word, errors="ignore")).lower()
    initials = "".join(lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore")).lower()
    return full, initials


def is_pinyin_candidate(term):
    return bool(ASCII_LETTERS.match(term)) and len(term) >= 2
