"""Reading a sent e-mail as a mail program does: parsed from its bytes by Python's `email`."""

import email
from email.policy import default as default_policy
from html.parser import HTMLParser


def parse(message):
    """A sent message (django.core.mail.outbox) as `email.message.EmailMessage`."""
    return email.message_from_bytes(message.message().as_bytes(), policy=default_policy)


def parts(message):
    """(plain text, HTML) of a multipart/alternative message; AssertionError otherwise."""
    parsed = parse(message) if not isinstance(message, email.message.Message) else message
    assert parsed.get_content_type() == "multipart/alternative", parsed.get_content_type()
    kinds = [part.get_content_type() for part in parsed.iter_parts()]
    assert kinds == ["text/plain", "text/html"], kinds
    text = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    return text, html


class Html(HTMLParser):
    """What a reader of the HTML part meets: the lang, the title, links and their text, any
    attribute that would fetch something (src, background, srcset, link href) and the text."""

    def __init__(self, source):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.title = ""
        self.links = {}  # href -> link text
        self.fetches = []
        self.text = []
        self._in = []
        self._href = None
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "a":
            self._href = attrs.get("href")
            self.links[self._href] = ""
        for name in ("src", "background", "srcset", "poster", "data"):
            if name in attrs:
                self.fetches.append((tag, name, attrs[name]))
        if tag in ("link", "img", "image", "script", "iframe", "object", "embed"):
            self.fetches.append((tag, "tag", attrs))
        if "url(" in attrs.get("style", ""):
            self.fetches.append((tag, "style", attrs["style"]))
        self._in.append(tag)

    def handle_endtag(self, tag):
        if tag == "a":
            self._href = None
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if self._in and self._in[-1] == "title":
            self.title += data
        if self._href is not None:
            self.links[self._href] += data
        self.text.append(data)

    @property
    def all_text(self):
        return "".join(self.text)


def assert_accessible(html):
    """The HTML part has a lang, a title, a heading, and nothing to fetch from elsewhere."""
    page = Html(html)
    assert page.lang and page.lang.lower().startswith("zh"), page.lang
    assert page.title.strip()
    assert "<h1" in html
    assert page.fetches == []
    assert "src=" not in html and "@import" not in html
    return page
