"""The two formats of GeoReport v2: XML (required by the spec) and JSON (its Spark mapping).

One answer is built once as Python data and written in either format: a list becomes repeated
elements named by `ITEMS` (services → service, service_requests → request …), a dict becomes
child elements, None an empty element, True/False "true"/"false". The XML is schemaless and
without a namespace, with the XML declaration naming UTF-8, as the spec asks.
"""

import json
import re
from xml.etree import ElementTree as ET

from django.http import HttpResponse

XML, JSON = "xml", "json"
CONTENT_TYPES = {
    XML: "text/xml; charset=utf-8",
    JSON: "application/json; charset=utf-8",
}
# The element each item of a list is written as.
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}


# Characters XML 1.0 cannot hold at all (a resident's text may contain some, e.g. ESC).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _append(parent, tag, value):
    element = ET.SubElement(parent, tag)
    _fill(element, tag, value)


def _fill(element, tag, value):
    if isinstance(value, dict):
        for key, child in value.items():
            _append(element, key, child)
    elif isinstance(value, list | tuple):
        for item in value:
            _append(element, ITEMS[tag], item)
    else:
        element.text = _text(value)


def to_xml(root, data):
    """`data` as an XML document whose root element is `root` (bytes, UTF-8)."""
    element = ET.Element(root)
    _fill(element, root, data)
    body = ET.tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode("utf-8")


def to_json(data):
    """`data` as JSON (bytes, UTF-8, Chinese kept as it is)."""
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def respond(fmt, root, data, status=200):
    """An answer in `fmt`: in XML under `root`; in JSON the list or object itself."""
    body = to_xml(root, data) if fmt == XML else to_json(data)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def errors(fmt, status, *descriptions, code=None):
    """The spec's error answer: a list of {code, description}, with the HTTP status `status`."""
    items = [{"code": code or status, "description": str(text)} for text in descriptions]
    return respond(fmt, "errors", items, status=status)
