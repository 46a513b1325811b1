"""Open311's XML, element names as the GeoReport v2 specification gives them (the standard
library's ElementTree: nothing to install)."""

import re
from xml.etree import ElementTree as ET

from rest_framework.renderers import BaseRenderer

# The element a list holds, by the list's own element.
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
}


def _root_of(view, data) -> str:
    if isinstance(data, list) and data and "description" in data[0] and "error" in data[0]:
        return "errors"
    return getattr(view, "xml_root", "service_requests")


# Characters XML 1.0 cannot hold, even escaped (a pasted form feed, an escape code).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _fill(element, value):
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, str(key).replace("[", "_").replace("]", "")), child)
    elif isinstance(value, list):
        tag = ITEMS.get(element.tag, "item")
        for child in value:
            _fill(ET.SubElement(element, tag), child)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _NOT_XML.sub("", str(value))


class Open311XMLRenderer(BaseRenderer):
    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        root = ET.Element(_root_of(view, data))
        _fill(root, data)
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)
