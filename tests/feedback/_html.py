"""Read a form's state out of a page the way a browser would (no third-party parser)."""

from html.parser import HTMLParser


class _FormState(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self.names: list[str] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._skip = False  # inside the header's language switcher, a form of its own

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "language-switcher" in (a.get("class") or ""):
            self._skip = True
        if self._skip:
            return
        name = a.get("name")
        if tag == "input" and name:
            self.names.append(name)
            if a.get("type") in ("radio", "checkbox"):
                if "checked" in a:
                    self.values.setdefault(name, []).append(a.get("value", "on"))
            else:
                self.values.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name:
            self.names.append(name)
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.values.setdefault(self._select, []).append(a.get("value", ""))
        elif tag == "textarea" and name:
            self.names.append(name)
            self._textarea = name
            self.values.setdefault(name, []).append("")

    def handle_endtag(self, tag):
        if tag == "form":
            self._skip = False
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data


def form_state(html: str) -> _FormState:
    parser = _FormState()
    parser.feed(html)
    return parser


def value(html: str, name: str) -> str | None:
    values = form_state(html).values.get(name)
    if not values:
        return None
    # A browser drops the one newline that follows <textarea>.
    return values[0][1:] if values[0].startswith("\n") else values[0]
