"""From a model instance to PostgreSQL tsvectors cut by the portal's own analysis.

PostgreSQL's parsers do not segment Chinese, so the text is never handed to `to_tsvector`:
`portal.search.analysis.iter_tokens` (rjieba words, their two-character pieces at the word's
position, lower-cased Latin words, stop words dropped) gives the lexemes and their positions,
and they are written as a tsvector literal (`'核酸':3A '检测':4A …`), which PostgreSQL stores as
it is (no dictionary applies). Phrase queries (`<->`) then see the same positions as the
Whoosh index, and queries are written the same way (`query.py`), so a lexeme is compared byte
for byte with what was indexed.

Each entry of modelsearch's index table (`IndexEntry`) holds three vectors:

- `body`: every search field of the object (title included), each field after a gap so that a
  phrase never spans two fields, weighted by the field's boost (modelsearch's A–D weights), and
  the pinyin of the pinyin fields (weight A). Searches match against it alone, so one GIN index
  (modelsearch's own, on `body`) answers every query;
- `title`: the `title` field and its pinyin, for ranking titles higher and for
  `fields=["title"]`;
- `autocomplete`: the AutocompleteFields and the pinyin, for `autocomplete()`.
"""

from modelsearch.backends.database.postgres.weights import get_weight
from modelsearch.index import AutocompleteField, RelatedFields, SearchField

from ..analysis import iter_tokens, pinyin_terms
from ..backend.documents import DEFAULT_PINYIN_FIELDS, flatten_text

# A pinyin lexeme is written with this mark in front, so that a pinyin prefix (`hes` for
# hesuan) never matches an English word of the text, as Whoosh keeps pinyin in its own field.
PINYIN_MARK = "^"
PINYIN_WEIGHT = "A"
# PostgreSQL keeps positions 1..16383 and at most 256 positions per lexeme.
MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 255
# Empty positions between two fields: a phrase never joins the end of one to the next.
FIELD_GAP = 1


def quote_lexeme(lexeme):
    """A lexeme as a quoted tsvector/tsquery operand."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


class VectorBuilder:
    """Collects lexemes with positions and weights, and writes them as a tsvector literal."""

    def __init__(self):
        self.positions = {}
        self.next_position = 1

    def add_text(self, text, weight):
        """Add a field's text after the text already added (and a gap)."""
        last = -1
        base = self.next_position
        for term, position, _start, _end in iter_tokens(text, subwords=True):
            at = min(base + position, MAX_POSITION)
            entries = self.positions.setdefault(term, {})
            # The strongest weight wins when two fields put a lexeme at the same position.
            entries[at] = min(entries.get(at, weight), weight)
            last = max(last, position)
        if last >= 0:
            self.next_position = min(base + last + 1 + FIELD_GAP, MAX_POSITION)

    def add_pinyin(self, terms):
        for term in terms:
            at = self.next_position
            self.positions.setdefault(PINYIN_MARK + term, {})[at] = PINYIN_WEIGHT
        if terms:
            self.next_position = min(self.next_position + 1 + FIELD_GAP, MAX_POSITION)

    def __len__(self):
        return len(self.positions)

    def literal(self):
        parts = []
        for lexeme, entries in self.positions.items():
            # tsvector literals are capped at 256 positions per lexeme: keep the first ones.
            kept = sorted(entries.items())[:MAX_POSITIONS_PER_LEXEME]
            positions = ",".join(f"{at}{weight}" for at, weight in kept)
            parts.append(f"{quote_lexeme(lexeme)}:{positions}")
        return " ".join(parts)


def _related_objects(value):
    if value is None:
        return []
    if hasattr(value, "all") and callable(value.all):
        return list(value.all())
    if callable(value):
        value = value()
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _texts(obj, fields):
    """(field, text) for every SearchField and AutocompleteField, following RelatedFields."""
    for field in fields:
        if isinstance(field, RelatedFields):
            related = _related_objects(field.get_value(obj))
            for item in related:
                yield from _texts(item, field.fields)
        elif isinstance(field, (SearchField, AutocompleteField)):
            text = flatten_text(field.get_value(obj)).strip()
            if text:
                yield field, text


def build_vectors(obj):
    """{"title", "body", "autocomplete": tsvector literal, "title_length": lexemes in title}."""
    model = type(obj)
    title, body, autocomplete = VectorBuilder(), VectorBuilder(), VectorBuilder()
    for field, text in _texts(obj, model.get_search_fields()):
        if isinstance(field, AutocompleteField):
            autocomplete.add_text(text, "D")
            continue
        weight = get_weight(field.boost)
        if field.field_name == "title":
            title.add_text(text, weight)
        body.add_text(text, weight)
    pinyin = set()
    for name in getattr(model, "search_pinyin_fields", DEFAULT_PINYIN_FIELDS):
        pinyin.update(pinyin_terms(flatten_text(getattr(obj, name, ""))))
    pinyin = sorted(pinyin)
    for builder in (title, body, autocomplete):
        builder.add_pinyin(pinyin)
    return {
        "title": title.literal(),
        "body": body.literal(),
        "autocomplete": autocomplete.literal(),
        "title_length": len(title),
    }
