"""Short ASCII slugs for new pages: the title's pinyin instead of Chinese characters.

A Chinese slug is percent-encoded in every address (9 characters a character), so a link to
/notices/关于冬季供暖报修的通知/ runs to 130 characters when pasted into a chat. When a new page
would take the slug Wagtail makes from its title (the editor left the proposed one, or none),
it gets the title's pinyin instead: /notices/guan-yu-dong-ji-gong-nuan-bao-xiu-de-tong-zhi/.
A slug the editor typed is kept, and so is every existing page's slug (their addresses are
already out there); editors can still change a slug afterwards.
"""

from django.db.models.signals import pre_save
from django.utils.text import slugify
from pypinyin import lazy_pinyin
from wagtail.models import Page

MAX_LENGTH = 60


def pinyin_slug(title):
    """The title in toneless pinyin, one hyphen between syllables, ASCII, at most 60 characters
    (cut at a hyphen); "" when nothing of the title can be spelled."""
    slug = slugify(" ".join(lazy_pinyin(str(title))))
    if len(slug) > MAX_LENGTH:
        slug = slug[:MAX_LENGTH].rsplit("-", 1)[0]
    return slug


def is_title_slug(page):
    """Whether the page's slug is the one Wagtail makes from its title (or none at all)."""
    return not page.slug or page.slug == slugify(page.title, allow_unicode=True)


def propose(page, parent):
    """Give a new page under `parent` its pinyin slug, unique among its siblings."""
    base = pinyin_slug(page.title)
    if not base:
        return
    taken = set(parent.get_children().values_list("slug", flat=True)) if parent else set()
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    page.slug = slug
    page.set_url_path(parent)


def _on_pre_save(sender, instance, raw=False, **kwargs):
    if raw or not isinstance(instance, Page) or instance.pk is not None:
        return
    if instance.slug.isascii() or not is_title_slug(instance):
        return
    propose(instance, instance.get_parent())


def connect_signals():
    # Every page model: Page.save() has set the path by the time pre_save is sent.
    pre_save.connect(_on_pre_save, dispatch_uid="portal.slugs.pinyin")
