"""A Markdown report as one self-contained HTML page (markdown-it-py): to mail to people who don't read Markdown.

Pure: Markdown text and the chart bytes in, an HTML string out. The page makes no request at all: the
charts are inlined as ``data:`` URIs, the style sheet is inline (with print rules for A4), there is no
script, and a Content-Security-Policy forbids anything else. Raw HTML in the Markdown is never passed
through (``html=False``; respondent text is neutralised in the Markdown already, by
:func:`crassess.safe_text.md_cell`), markdown-it refuses ``javascript:``-like links, and only relative
links are kept (a link to another report, ``.md``, points to its ``.html``); any other link becomes its text.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Sequence
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

MEDIA_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//|\\")

STYLE = """\
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; font-size: 11pt; line-height: 1.45;
       color: #1a1a1a; max-width: 180mm; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 20pt; color: #1f5f8b; margin: 0 0 0.6em; }
h2 { font-size: 15pt; color: #1f5f8b; border-bottom: 1px solid #1f5f8b; margin-top: 1.6em; }
h3 { font-size: 12pt; margin: 1.2em 0 0.3em; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 9.5pt; }
th, td { border: 1px solid #c8c8c8; padding: 3px 6px; vertical-align: top; }
th { background: #e8f0f6; }
img { max-width: 100%; max-height: 125mm; height: auto; display: block; margin: 0.6em auto; }
blockquote { border-left: 4px solid #e07b39; margin: 1em 0; padding: 0.2em 1em; background: #fdf3ec; }
code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 0.95em; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr, img, li, blockquote { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
"""
_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

ImageSource = Callable[[str], "bytes | None"]


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def markdown_to_html(text: str, images: ImageSource, lang: str) -> str:
    """The page of the Markdown ``text``; ``images(src)`` gives the bytes of a chart as the Markdown names it
    (``None``: not drawn, its description is shown instead)."""
    md = _parser()
    tokens = md.parse(text)
    for token in tokens:
        if token.type == "inline" and token.children:
            _inline(token.children, images)
    body = md.renderer.render(tokens, md.options, {})
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">\n'
        f"<title>{html.escape(_title(tokens))}</title>\n<style>\n{STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )


def _title(tokens: Sequence[Token]) -> str:
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1" and i + 1 < len(tokens):
            return "".join(c.content for c in tokens[i + 1].children or () if c.type in ("text", "code_inline"))
    return ""


def _inline(children: list[Token], images: ImageSource) -> None:
    dropped: list[bool] = []  # one per open link: whether it was made plain text
    for token in children:
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            keep = bool(href) and not _SCHEME.search(href)
            dropped.append(not keep)
            if keep:
                token.attrSet("href", _html_link(href))
            else:
                _as_text(token, "")
        elif token.type == "link_close" and dropped and dropped.pop():
            _as_text(token, "")
        elif token.type == "image":
            _image(token, images)


def _html_link(href: str) -> str:
    """``settore-imprese.md#x`` -> ``settore-imprese.html#x``: the reports link to each other's pages."""
    path, hash_, fragment = href.partition("#")
    if path.endswith(".md"):
        path = path[:-3] + ".html"
    return path + hash_ + fragment


def _image(token: Token, images: ImageSource) -> None:
    alt = "".join(c.content for c in token.children or ()) or token.content
    src = str(token.attrGet("src") or "")
    media = next((m for ext, m in MEDIA_TYPES.items() if src.lower().endswith(ext)), None)
    data = images(unquote(src)) if media and not _SCHEME.search(src) else None
    if data is None:
        _as_text(token, f"[{alt}]")
        return
    uri = f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"
    token.type, token.children = "html_inline", None
    token.content = f'<img src="{uri}" alt="{html.escape(alt)}">'


def _as_text(token: Token, content: str) -> None:
    token.type, token.tag, token.attrs, token.children, token.content = "text", "", {}, None, content
