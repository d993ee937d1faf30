"""What a page's required fields look like: the check behind ``test_required_markers.py``.

A required control (``input``, ``select`` or ``textarea`` with the ``required`` attribute,
hidden inputs aside) is marked when a label of it (``<label for>`` or a label around it)
holds the mark (``<abbr class="required-mark">``); a required radio button is marked when the
legend of its fieldset holds it (its own label is the choice's). A page with a required
control shows the legend « Les champs marqués d'un * sont obligatoires. » exactly once.
"""

from dataclasses import dataclass
from html.parser import HTMLParser

CONTROLS = ("input", "select", "textarea")
UNLABELLED_TYPES = ("hidden", "submit", "button", "reset", "image")


@dataclass
class Control:
    tag: str
    type: str
    id: str
    name: str
    required: bool
    fieldset: dict | None = None
    in_marked_label: bool = False

    @property
    def describe(self) -> str:
        return f"<{self.tag} name={self.name!r} id={self.id!r}>"


class RequiredMarkers(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.controls = []
        self.marked_for = set()  # ids of the controls with a marked label
        self.legends = 0
        self._labels = []  # open labels: [{"for": id, "marked": bool, "controls": [...]}]
        self._fieldsets = []
        self._in_legend = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "abbr" and "required-mark" in classes:
            for label in self._labels:
                label["marked"] = True
            if self._in_legend and self._fieldsets:
                self._fieldsets[-1]["marked"] = True
        elif tag == "p" and "required-legend" in classes:
            self.legends += 1
        elif tag == "label":
            self._labels.append({"for": attrs.get("for"), "marked": False, "controls": []})
        elif tag == "fieldset":
            self._fieldsets.append({"marked": False})
        elif tag == "legend":
            self._in_legend = True
        elif tag in CONTROLS:
            kind = (attrs.get("type") or "text").lower() if tag == "input" else tag
            if kind in UNLABELLED_TYPES:
                return
            control = Control(
                tag,
                kind,
                attrs.get("id") or "",
                attrs.get("name") or "",
                "required" in attrs,
                self._fieldsets[-1] if self._fieldsets else None,
            )
            self.controls.append(control)
            for label in self._labels:
                label["controls"].append(control)

    def handle_endtag(self, tag):
        if tag == "label" and self._labels:
            label = self._labels.pop()
            if label["marked"]:
                if label["for"]:
                    self.marked_for.add(label["for"])
                for control in label["controls"]:
                    control.in_marked_label = True
        elif tag == "fieldset" and self._fieldsets:
            self._fieldsets.pop()
        elif tag == "legend":
            self._in_legend = False

    @property
    def required(self) -> list:
        return [c for c in self.controls if c.required]

    def is_marked(self, control: Control) -> bool:
        if control.type == "radio":
            return bool(control.fieldset and control.fieldset["marked"])
        return control.in_marked_label or (bool(control.id) and control.id in self.marked_for)

    def problems(self) -> list[str]:
        found = [f"{c.describe}: no required mark" for c in self.required if not self.is_marked(c)]
        if self.required and self.legends != 1:
            found.append(f"{self.legends} required-field legends (one expected)")
        return found


def check(html: str) -> RequiredMarkers:
    page = RequiredMarkers()
    page.feed(html)
    page.close()
    return page
