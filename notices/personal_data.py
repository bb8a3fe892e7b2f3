"""The checks that refuse to publish personal data: unmasked ID and mobile numbers anywhere
(text fields, rich text, table cells, attached documents), and the epidemic-prevention rule.

Each check returns {field_name: [message, …]}, so a refusal names the field (and the place in
it) where the data hides. Pages call these from `clean()`, which Wagtail runs on every save,
on publishing from the admin, on approval in the workflow and on scheduled publishing.
"""

import re
from html import unescape as unescape_entities

import rjieba
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from portal import versions

from .attachments import UnreadableDocument, document_texts, file_texts
from .masking import KIND_LABELS, _mask_finding, find_personal_data, find_unmasked

# Block types that carry a worker's or office's published work phone: not personal data.
EXEMPT_BLOCK_TYPES = {"contact"}
# "3号楼", "5栋", "2单元", "301室", "3-2-301": a house number points at one household.
HOUSE_NUMBER = re.compile(r"\d+\s*(?:号楼|栋|幢|单元|室|号院)|\d+-\d+-\d+")
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
# Words that make a "name" found by the segmenter a place or an organisation instead.
_PLACE_ENDINGS = ("社区", "街", "路", "村", "镇", "区", "市", "县", "省", "苑", "里", "园")
_PLACE_FOLLOWERS = (
    "社区", "街", "路", "小区", "花园", "苑", "里", "大厦", "公司", "医院", "超市",
    "广场", "小学", "中学", "幼儿园", "村", "镇", "区", "市", "中心", "号",
)  # fmt: skip
DOCUMENT_CHECK_VERSION = 1


def _rich_text_to_plain(html):
    return unescape_entities(strip_tags(str(html).replace("</p>", "\n").replace("<br/>", "\n")))


def stream_texts(stream_value):
    """(location, text) for each piece of text in a StreamField, and the documents it holds."""
    texts, documents = [], []
    for index, child in enumerate(stream_value or [], start=1):
        kind = child.block_type
        if kind in EXEMPT_BLOCK_TYPES:
            continue
        where = _("第%(n)d块") % {"n": index}
        value = child.value
        if kind == "paragraph":
            texts.append((where, _rich_text_to_plain(getattr(value, "source", value))))
        elif kind == "table":
            for row_number, row in enumerate((value or {}).get("data") or [], start=1):
                for column_number, cell in enumerate(row or [], start=1):
                    if cell:
                        texts.append(
                            (
                                _("%(where)s表格第%(row)d行第%(col)d列")
                                % {"where": where, "row": row_number, "col": column_number},
                                str(cell),
                            )
                        )
            if (value or {}).get("table_caption"):
                texts.append((where, value["table_caption"]))
        elif kind == "document":
            if value.get("document") is not None:
                documents.append((where, value["document"]))
            if value.get("title"):
                texts.append((where, value["title"]))
        elif hasattr(value, "items"):  # heading, image: their text sub-fields
            for sub_value in value.values():
                if isinstance(sub_value, str) and sub_value:
                    texts.append((where, sub_value))
        elif isinstance(value, str):
            texts.append((where, value))
    return texts, documents


def _preview(finding):
    return _mask_finding(finding)


def _unmasked_message(label, where, findings):
    finding = findings[0]
    return _("%(field)s%(where)s含有未脱敏的%(kind)s（%(preview)s），请脱敏后再发布") % {
        "field": label,
        "where": f"（{where}）" if where else "",
        "kind": KIND_LABELS[finding.kind],
        "preview": _preview(finding),
    }


def _document_findings(document):
    """[(location, finding)] for one document, cached by its content hash."""
    try:
        file_hash = document.get_file_hash()
    except (OSError, ValueError) as exc:
        raise UnreadableDocument(_("文件无法打开，无法检查其中的个人信息")) from exc

    def build():
        return [
            (location, finding)
            for location, text in document_texts(document)
            for finding in find_unmasked(text)
        ]

    return versions.cached(
        "notices:doc-check",
        DOCUMENT_CHECK_VERSION,
        document.pk,
        file_hash,
        build=build,
        timeout=60 * 60 * 24,
    )


def uploaded_file_error(filename, read_bytes):
    """The message refusing an uploaded file with an unmasked ID or mobile number, naming where
    it is (e.g. "第3行第2列"); None for a clean file. A file that cannot be read is let through
    here: a page that attaches it cannot be published until it can be checked."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else ""
    try:
        texts = file_texts(extension, read_bytes)
    except UnreadableDocument:
        return None
    for location, text in texts:
        findings = find_unmasked(text)
        if findings:
            return _(
                "文件“%(name)s”%(where)s含有未脱敏的%(kind)s（%(preview)s），请脱敏后再上传"
            ) % {
                "name": filename,
                "where": location,
                "kind": KIND_LABELS[findings[0].kind],
                "preview": _preview(findings[0]),
            }
    return None


def unmasked_data_errors(text_fields, stream_fields):
    """{field: [messages]} for unmasked ID or mobile numbers in the given fields.

    text_fields: [(name, label, text)]; stream_fields: [(name, label, stream_value)].
    """
    errors = {}
    for name, label, text in text_fields:
        findings = find_unmasked(text)
        if findings:
            errors.setdefault(name, []).append(_unmasked_message(label, "", findings))
    for name, label, stream_value in stream_fields:
        texts, documents = stream_texts(stream_value)
        for where, text in texts:
            findings = find_unmasked(text)
            if findings:
                errors.setdefault(name, []).append(_unmasked_message(label, where, findings))
        for where, document in documents:
            try:
                found = _document_findings(document)
            except UnreadableDocument as exc:
                errors.setdefault(name, []).append(
                    _("%(field)s（%(where)s附件“%(doc)s”）：%(reason)s")
                    % {"field": label, "where": where, "doc": document.title, "reason": exc}
                )
                continue
            if found:
                location, finding = found[0]
                errors.setdefault(name, []).append(
                    _unmasked_message(
                        label,
                        _("%(where)s附件“%(doc)s”%(location)s")
                        % {"where": where, "doc": document.title, "location": location},
                        [finding],
                    )
                )
    return errors


def named_people(text):
    """Personal names the segmenter finds in `text` (not masked ones, not place names)."""
    tokens = rjieba.tag(text)
    names = []
    for position, (word, tag) in enumerate(tokens):
        if not tag.startswith("nr") or not 2 <= len(word) <= 4:
            continue
        if "某" in word or "*" in word or word.endswith(_PLACE_ENDINGS):
            continue
        following = tokens[position + 1][0] if position + 1 < len(tokens) else ""
        if following.startswith(_PLACE_FOLLOWERS):
            continue
        names.append(word)
    return names


def epidemic_rule_errors(text_fields, stream_fields):
    """{field: [messages]} where a sentence names a person together with a phone, an ID number
    or a house number — forbidden in epidemic-prevention notices."""
    errors = {}
    pieces = [(name, label, "", text) for name, label, text in text_fields]
    for name, label, stream_value in stream_fields:
        texts, documents = stream_texts(stream_value)
        pieces.extend((name, label, where, text) for where, text in texts)
        for where, document in documents:
            try:
                document_pieces = document_texts(document)
            except UnreadableDocument:
                continue  # the unmasked-data check already refuses an unreadable file
            pieces.extend(
                (name, label, f"{where}“{document.title}”{location}", text)
                for location, text in document_pieces
            )
    for name, label, where, text in pieces:
        for sentence in _SENTENCE_END.split(text or ""):
            identifying = find_personal_data(sentence) or HOUSE_NUMBER.search(sentence)
            if not identifying:
                continue
            people = named_people(sentence)
            if people:
                errors.setdefault(name, []).append(
                    _(
                        "%(field)s%(where)s把个人姓名（%(name)s）和电话、身份证号或门牌号写在一起，"
                        "疫情防控通知不得公开；请改为“某某”或删去门牌号。工作人员的电话请用“联系方式”块"
                    )
                    % {"field": label, "where": f"（{where}）" if where else "", "name": people[0]}
                )
                break
    return errors


def merge_errors(*error_dicts):
    merged = {}
    for errors in error_dicts:
        for name, messages in errors.items():
            merged.setdefault(name, []).extend(messages)
    return merged
