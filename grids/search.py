"""The grids app's words for the search segmenter: its place names.

jieba's dictionary knows no community's street, area and grid names, and cuts 明华 into 明 and
华. `place_names` gives the names of live areas and grids (with and without their level's suffix:
明华街道 and 明华) and the places of grid addresses (明华街东十九巷, 希望家园), registered as a word
source (portal.search.analysis) in `GridsConfig.ready()`. A change to the published tree
(grids.signals; addresses change with their grid's publish) announces a new dictionary to every
process; pages indexed before keep their old cut until `manage.py update_index`.
"""

from portal.search import analysis

from .models import AreaPage, GridAddress, GridPage

# Level suffixes of area names: 明华街道 also gives 明华.
SUFFIXES = ("街道", "社区", "网格", "乡", "镇", "村")


def place_names():
    names = set()
    for model in (AreaPage, GridPage):
        names.update(model.objects.live().values_list("title", flat=True))
    names.update(GridAddress.objects.values_list("place", flat=True))
    words = set()
    for name in names:
        name = name.strip()
        words.add(name)
        for suffix in SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                words.add(name[: -len(suffix)])
    return sorted(words)


def register():
    """Called from GridsConfig.ready(). No model is watched here: grids.signals announces the
    published tree's changes, once each (a draft saved changes no name)."""
    analysis.register_word_source(place_names)
