"""A small, safe XML reader: no DTD entities, no external resources, a size cap, and every
element knows its line and its path, so errors can say where they are.

The standard library's expat does the parsing; an entity declaration (the way of the "billion
laughs" and external-entity attacks) stops the parse, as does an external entity reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.parsers import expat

from strapline.domain.diagnostics import DataError
from strapline.io.limits import MAX_XML_BYTES, MAX_XML_ELEMENTS, MIB, over


@dataclass(eq=False)
class Node:
    tag: str
    attrib: dict[str, str]
    line: int
    path: str
    children: list[Node] = field(default_factory=list)
    text: str = ""

    def get(self, name: str, default: str = "") -> str:
        return self.attrib.get(name, default).strip()

    def find(self, tag: str) -> Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def findall(self, tag: str) -> list[Node]:
        return [c for c in self.children if c.tag == tag]

    def iter(self, tag: str) -> list[Node]:
        found: list[Node] = []
        stack = [self]
        while stack:
            node = stack.pop()
            if node.tag == tag:
                found.append(node)
            stack.extend(reversed(node.children))
        return found

    @property
    def where(self) -> str:
        return f"line {self.line}, {self.path}"


class _Forbidden(Exception):
    pass


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def parse_xml(data: bytes, source: str, max_depth: int = 64) -> Node:
    if len(data) > MAX_XML_BYTES:
        raise over(source, "", f"XML file of {len(data) // MIB} MiB", f"{MAX_XML_BYTES // MIB} MiB")
    parser = expat.ParserCreate()
    elements = [0]
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[Node] = []
    counts: list[dict[str, int]] = [{}]
    root: list[Node] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        elements[0] += 1
        if elements[0] > MAX_XML_ELEMENTS:
            raise _Forbidden(f"more than {MAX_XML_ELEMENTS:,} elements (a limit of Strapline)")
        if len(stack) >= max_depth:
            raise _Forbidden(f"elements nested deeper than {max_depth}")
        siblings = counts[-1]
        siblings[tag] = siblings.get(tag, 0) + 1
        parent_path = stack[-1].path if stack else ""
        path = f"{parent_path}/{tag}"
        if stack:
            path += f"[{siblings[tag]}]"
        node = Node(
            tag=tag,
            attrib={_local(k): v for k, v in attrs.items()},
            line=parser.CurrentLineNumber,
            path=path,
        )
        if stack:
            stack[-1].children.append(node)
        elif root:
            raise _Forbidden("more than one root element")
        else:
            root.append(node)
        stack.append(node)
        counts.append({})

    def end(name: str) -> None:
        stack.pop()
        counts.pop()

    def chars(text: str) -> None:
        if stack and len(stack[-1].text) < 10_000:
            stack[-1].text += text

    def entity_decl(*args: object) -> None:
        raise _Forbidden("entity declarations are not allowed")

    def external(*args: object) -> int:
        raise _Forbidden("external entities are not allowed")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.EntityDeclHandler = entity_decl
    parser.UnparsedEntityDeclHandler = entity_decl
    parser.ExternalEntityRefHandler = external
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        message = expat.errors.messages.get(exc.code, str(exc)) if exc.code else str(exc)
        raise DataError(
            source, f"line {exc.lineno}, column {exc.offset + 1}", f"not well-formed XML: {message}"
        ) from None
    except (LookupError, ValueError) as exc:
        # The XML declaration names an encoding Python does not know (or expat cannot use).
        raise DataError(
            source, "line 1", f"the XML declares an encoding that cannot be read ({exc})"
        ) from None
    except _Forbidden as exc:
        raise DataError(source, f"line {parser.CurrentLineNumber}", f"XML refused: {exc}") from None
    if not root:
        raise DataError(source, "", "the XML file has no root element")
    return root[0]
