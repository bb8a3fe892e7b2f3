"""Synonyms at query time: a query word editors listed with others (低保 ↔ 最低生活保障) also
finds documents with any of the others.

The groups are `portal.SearchSynonym` rows, kept in the cache under the "search-synonyms" data
version (portal.versions), which a save or delete of a group raises in its own transaction: every
process uses a new list from its next request on, and nothing is reindexed. Each synonym is cut
into words as the index cuts it (最低生活保障 → 最低 生活 保障), and a query's run of words that
spells a synonym, from one query unit's start to another's end, becomes one unit with every
synonym of the group as an alternative (a term, or a phrase for several words).
"""

from django.db.models.signals import post_delete, post_save

from portal import versions

from .analysis import segment


def _build():
    from portal.models import SearchSynonym

    return [group.word_list() for group in SearchSynonym.objects.all()]


def groups():
    """The synonym groups, each a list of words (cached under the "search-synonyms" version)."""
    return versions.cached("search:synonyms", build=_build, depends_on=[versions.SEARCH_SYNONYMS])


def alternatives_index(word_groups):
    """{words of a synonym as the index cuts it: [the words of each synonym of its group]}."""
    index = {}
    for group in word_groups:
        cut = [tuple(segment(word)) for word in group]
        members = [list(words) for words in dict.fromkeys(words for words in cut if words)]
        for words in cut:
            if words and len(members) > 1:
                known = index.setdefault(words, [])
                known.extend(member for member in members if member not in known)
    return index


def expand_units(units, word_groups=None):
    """`analysis.query_units` output with synonyms: a run of units that spells a synonym becomes
    ("any", [words of each synonym]); other units are unchanged. Longest match first."""
    index = alternatives_index(groups() if word_groups is None else word_groups)
    if not index:
        return units
    longest = max(len(words) for words in index)
    flat = [word for _kind, words in units for word in words]
    # Where each unit starts among the query's words: a synonym must start and end there.
    starts = {}
    position = 0
    for number, (_kind, words) in enumerate(units):
        starts[position] = number
        position += len(words)
    starts[position] = len(units)
    expanded = []
    position = 0
    while position < len(flat):
        for size in range(min(longest, len(flat) - position), 0, -1):
            words = tuple(flat[position : position + size])
            if words in index and position + size in starts:
                expanded.append(("any", index[words]))
                position += size
                break
        else:
            unit = units[starts[position]]
            expanded.append(unit)
            position += len(unit[1])
    return expanded


def _changed(sender, **kwargs):
    if not kwargs.get("raw", False):
        versions.bump(versions.SEARCH_SYNONYMS)


def connect_signals():
    """Called from AppConfig.ready(): a saved or deleted group raises "search-synonyms"."""
    from portal.models import SearchSynonym

    post_save.connect(_changed, sender=SearchSynonym, dispatch_uid="search-synonym-saved")
    post_delete.connect(_changed, sender=SearchSynonym, dispatch_uid="search-synonym-deleted")
