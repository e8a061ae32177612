"""Article pages: fetch an item's link and keep only the story's text.

A news page is mostly boilerplate (masthead, menus, share buttons, related links, footer). The story
lives in `<article>`, `<main>` or `role="main"` on nearly every publisher, so we take that element
(the one with the most text when there are several), drop what is never story text, and join its
paragraphs. Parsing is lexbor (selectolax): a real HTML5 parser, fast, tolerant of broken markup.
"""
from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

import httpx
from selectolax.lexbor import LexborHTMLParser, LexborNode

from news.fetch import FetchError, get_capped
from news.sanitize import clean_text

MAX_PAGE_BYTES = 2 * 1024 * 1024
"""Bytes read from a page; the story is near the top, and a 50 MB page must cost no more than this."""
MAX_TEXT_CHARS = 60_000
"""Characters of story text kept (a long feature is ~30,000)."""
MAX_DEPTH = 1500
"""Element nesting the parser is given. HTML5 tree building is quadratic in depth (100,000 nested
divs take lexbor ~40 s), real pages nest < 100 deep, so deeper input is cut where it crosses this."""

_DROP_TAGS = frozenset(
    "script style noscript template svg math canvas iframe object embed nav header footer aside form "
    "button select input textarea dialog".split()
)
_DROP_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary"})
# Publisher furniture inside the story element, named by class in nearly every CMS.
_DROP_CLASS = re.compile(r"share|social|related|newsletter|promo|subscribe|breadcrumb|(?:^|\s)tags(?:\s|$)", re.I)
_ROOTS = ("article", "main", "[role=main]")
_BLOCKS = frozenset(
    "address article blockquote body dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 hr li main ol p "
    "pre section table tbody td tfoot th thead tr ul br".split()
)
# Depth guard only (never used to read content): opening and closing tag names.
_TAG = r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>"
_TAG_STR, _TAG_BYTES = re.compile(_TAG), re.compile(_TAG.encode())
_NO_DEPTH = frozenset(
    "area base br col embed hr img input link meta source track wbr param keygen "
    "p li dt dd tr td th option optgroup tbody thead tfoot colgroup caption rb rt rp html head body".split()
)


@dataclass(slots=True)
class Article:
    url: str
    text: str  # cleaned story text, "" when the page gave none
    error: str | None = None  # why there is no text (the item keeps its headline)
    truncated: bool = False


def html_to_text(html: str | bytes) -> str:
    """The main text of a page or fragment: paragraphs separated by blank lines, control chars removed."""
    if not html:
        return ""
    # bytes: lexbor honours a BOM or <meta charset> (legacy GBK/Big5 pages); str is already decoded
    tree = LexborHTMLParser(_cap_depth(html), encoding=isinstance(html, bytes))
    root = _main_element(tree)
    if root is None:
        return ""
    return clean_text(_block_text(root), MAX_TEXT_CHARS)


async def fetch_article(client: httpx.AsyncClient, url: str, *, deadline: float = 6.0) -> Article:
    """The story text at `url`; failures come back as an `Article` with `error`, never raised."""
    try:
        page = await get_capped(client, url, max_bytes=MAX_PAGE_BYTES, deadline=deadline)
    except FetchError as e:
        return Article(url, "", str(e))
    ctype = page.headers.get("content-type", "")
    if ctype and not any(kind in ctype for kind in ("html", "xml", "text/plain")):
        return Article(url, "", f"not a web page ({ctype.split(';')[0]})")
    body = _decode(page.body, page.headers)
    if "text/plain" in ctype:
        text = clean_text(body if isinstance(body, str) else body.decode("utf-8", "replace"), MAX_TEXT_CHARS)
    else:  # parsing a 2 MB page takes a few hundred ms: keep it off the app's event loop
        text = await asyncio.to_thread(html_to_text, body)
    return Article(page.url, text, None if text else "no story text on the page", page.truncated)


def _decode(body: bytes, headers: httpx.Headers) -> str | bytes:
    """Text when the server names a charset we know; else bytes, for lexbor's own <meta> sniffing."""
    charset = httpx.Response(200, headers=headers).charset_encoding
    if charset:
        try:
            return body.decode(charset, "replace")
        except LookupError:
            pass
    return body


def _cap_depth(html: str | bytes) -> str | bytes:
    """`html` cut where element nesting first exceeds MAX_DEPTH (a linear scan of tag names)."""
    depth = 0
    matches = _TAG_BYTES.finditer(html) if isinstance(html, bytes) else _TAG_STR.finditer(html)
    for match in matches:
        name = match.group(2)
        name = (name.decode("ascii") if isinstance(name, bytes) else name).lower()
        if name in _NO_DEPTH or match.group(3):
            continue
        depth += -1 if match.group(1) else 1
        if depth > MAX_DEPTH:
            return html[: match.start()]
    return html


def _main_element(tree: LexborHTMLParser) -> LexborNode | None:
    for selector in _ROOTS:
        found = tree.css(selector)
        if found:
            return max(found, key=lambda n: len(n.text(deep=True, strip=True)))
    return tree.body or tree.root


def _is_furniture(node: LexborNode) -> bool:
    """Never story text: scripts, menus, forms, hidden parts, share bars, related links, tag lists."""
    tag = node.tag or ""
    if tag in _DROP_TAGS or tag.startswith("-"):  # -comment, -doctype
        return True
    attrs = node.attributes
    if not attrs:
        return False
    return (
        "hidden" in attrs
        or attrs.get("aria-hidden") == "true"
        or attrs.get("role") in _DROP_ROLES
        or bool(_DROP_CLASS.search(attrs.get("class") or ""))
    )


def _block_text(root: LexborNode) -> str:
    """Text with a paragraph break around each block element; inline runs joined (`<b>8%</b>` stays in).

    Boilerplate subtrees are skipped during the walk. An explicit stack (no recursion), so nesting
    depth costs nothing but memory; it stops once it has more text than is kept.
    """
    parts: list[str] = []
    size = 0
    stack: list[LexborNode | str] = [root]
    while stack and size <= MAX_TEXT_CHARS:
        node = stack.pop()
        if isinstance(node, str):
            parts.append(node)
            continue
        if node.tag == "-text":
            text = (node.text_content or "").replace("\n", " ")  # source line breaks are not paragraphs
            parts.append(text)
            size += len(text)
            continue
        if node is not root and _is_furniture(node):
            continue
        block = node.tag in _BLOCKS
        if block:
            parts.append("\n")
            stack.append("\n")
        children = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend(reversed(children))
    paragraphs = (" ".join(p.split()) for p in "".join(parts).split("\n"))
    return "\n\n".join(p for p in paragraphs if p)
