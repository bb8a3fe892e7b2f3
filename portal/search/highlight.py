"""Snippets of result text with the query's words marked, for any search backend."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .analysis import highlight_terms, iter_tokens, normalize


def _spans(text, words):
    spans = []
    for term, _position, start, end in iter_tokens(text, subwords=True):
        if term in words:
            spans.append((start, end))
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _best_window(spans, length, size):
    """The start of the `size`-character window covering the most marked spans."""
    best_start, best_count = 0, 0
    for i, (start, _end) in enumerate(spans):
        window_start = max(0, start - size // 5)
        count = sum(1 for s, e in spans[i:] if e <= window_start + size)
        if count > best_count:
            best_start, best_count = window_start, count
    return max(0, min(best_start, max(0, length - size)))


def mark(text, words=None, query=None):
    """The whole `text`, HTML-escaped, with the query's words in <mark>."""
    words = words if words is not None else highlight_terms(query or "")
    return _render(text, _spans(text, words), 0, len(text))


def snippet(text, words=None, query=None, size=120):
    """About `size` characters of `text` around the densest group of query words, marked.

    Without a match, the text's beginning. The result is safe HTML.
    """
    text = " ".join((text or "").split())
    if not text:
        return mark_safe("")
    words = words if words is not None else highlight_terms(query or "")
    spans = _spans(text, words)
    start = _best_window(spans, len(text), size) if spans else 0
    end = min(len(text), start + size)
    return _render(text, spans, start, end)


def _render(text, spans, start, end):
    parts = []
    if start > 0:
        parts.append("…")
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        parts.append(escape(text[cursor:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append("…")
    return mark_safe("".join(parts))


__all__ = ["mark", "normalize", "snippet"]
