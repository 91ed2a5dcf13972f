"""HTML pages: self-contained (charts inlined), no script, no handler, no external address, same bytes each time."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from crassess.cli.main import cli
from crassess.reports.html import markdown_to_html
from tests._campaigns import FIVE, make_campaign, response

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "reports" / "demo"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'


class Page(HTMLParser):
    """Every tag with its attributes; raises on a page html.parser cannot follow."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check_page(text: str) -> Page:
    """The rules every page keeps."""
    page = Page(text)
    names = [tag for tag, _ in page.tags]
    assert names[:2] == ["html", "head"] and "body" in names and "style" in names
    assert not {"script", "iframe", "object", "embed", "link", "base", "form", "svg"} & set(names)
    for tag, attrs in page.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        src = attrs.get("src")
        if tag == "img":
            assert src is not None and re.match(r"data:image/(svg\+xml|png);base64,[A-Za-z0-9+/=]+$", src), src[:60]
        else:
            assert src is None
        href = attrs.get("href") or ""
        assert not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//", href), href  # relative links only
    style = text.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "url(" not in style and "@import" not in style  # the style sheet loads nothing either
    assert text.count("<style>") == 1 and ' style="' not in text.replace(' style="text-align:', "")
    return page


def test_markdown_becomes_a_safe_page_with_inlined_charts() -> None:
    text = """\
# Rapporto: Rossi &lt;b&gt;

<script>alert(1)</script> <img src=x onerror=alert(1)> <a href="http://evil.example">x</a>

[altro rapporto](settore-imprese.md#dimensioni) [esterno](https://evil.example/x) [js](javascript:alert(1))
[dati](data:text/html;base64,PHNjcmlwdD4=) <http://evil.example> [rete](//evil.example/a)

![Livelli](grafici/livelli.svg) ![Radar](radar.png) ![Mancante](manca.svg) ![Fuori](http://evil.example/x.png)

| a | b |
|:--|--:|
| 1 | 2 |
"""
    images = {"grafici/livelli.svg": SVG, "radar.png": b"\x89PNG\r\n"}
    page_text = markdown_to_html(text, images.get, "it")
    page = check_page(page_text)
    imgs = [attrs for tag, attrs in page.tags if tag == "img"]
    assert [a["alt"] for a in imgs] == ["Livelli", "Radar"]
    assert imgs[0]["src"] == "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxIiBoZWlnaHQ9IjEiLz4="
    assert [attrs["href"] for tag, attrs in page.tags if tag == "a"] == ["settore-imprese.html#dimensioni"]
    body = "".join(page.text)
    assert "<script>alert(1)</script>" in body and "esterno" in body and "[Mancante]" in body  # shown as text
    assert '<html lang="it">' in page_text and "<title>Rapporto: Rossi &lt;b&gt;</title>" in page_text
    assert '<th style="text-align:right">b</th>' in page_text
    assert "@page { size: A4;" in page_text and "@media print" in page_text
    assert markdown_to_html(text, images.get, "it") == page_text  # same bytes


def test_report_html_writes_a_page_beside_every_markdown(tmp_path: Path) -> None:
    responses = dict(FIVE, **{"x.json": response({"note_finali": "<script>alert(1)</script> [x](javascript:alert(1))"},
                                                 name='<img src=x onerror="alert(1)">', comune="Cremona", size=3)})
    campaign = make_campaign(tmp_path / "c", responses, name="Prova & <b>")
    for out in ("o1", "o2"):
        result = CliRunner().invoke(cli, ["report", "--campaign", str(campaign), "-o", str(tmp_path / out), "--html"])
        assert result.exit_code == 0, result.output
    first = {p.relative_to(tmp_path / "o1"): p.read_bytes() for p in (tmp_path / "o1").rglob("*") if p.is_file()}
    second = {p.relative_to(tmp_path / "o2"): p.read_bytes() for p in (tmp_path / "o2").rglob("*") if p.is_file()}
    assert first == second  # same bytes
    md = sorted(p for p in first if p.suffix == ".md")
    assert len(md) == 10 and sorted(p for p in first if p.suffix == ".html") == [p.with_suffix(".html") for p in md]
    for path in md:
        page = check_page(first[path.with_suffix(".html")].decode())
        charts = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", first[path].decode())
        assert len([t for t, _ in page.tags if t == "img"]) == len(charts)  # every chart embedded
    territory = first[Path("territorio.html")].decode()
    assert 'href="settore-imprese.html"' in territory


def test_html_without_markdown_and_without_charts(tmp_path: Path) -> None:
    campaign = make_campaign(tmp_path / "c", FIVE)
    result = CliRunner().invoke(cli, ["report", "--campaign", str(campaign), "-o", str(tmp_path / "o"), "--format", "xlsx",
                                      "--html", "--charts", "none", "--lang", "en"])
    assert result.exit_code == 0
    files = sorted(str(p.relative_to(tmp_path / "o")) for p in (tmp_path / "o").rglob("*") if p.is_file())
    assert "territory.html" in files and "data.xlsx" in files and not [f for f in files if f.endswith(".md")]
    page = check_page((tmp_path / "o" / "territory.html").read_text(encoding="utf-8"))
    assert not [t for t, _ in page.tags if t == "img"]


def _demo_pages() -> list[Path]:
    return sorted(p for p in DEMO.rglob("*.html") if "campagna" not in p.relative_to(DEMO).parts)


@pytest.mark.skipif(not list(DEMO.glob("*.html")), reason="reports/demo has no HTML yet")
def test_committed_demo_pages_are_safe_and_current() -> None:
    pages = _demo_pages()
    assert len(pages) == len([p for p in DEMO.rglob("*.md") if p.name != "audit.md" and "campagna" not in p.relative_to(DEMO).parts])
    for path in pages:
        text = path.read_text(encoding="utf-8")
        check_page(text)
        folder = path.parent

        def chart(src: str, folder: Path = folder) -> bytes | None:
            target = folder / src
            return target.read_bytes() if target.is_file() else None

        # the page is what the committed Markdown and charts give today
        assert markdown_to_html(path.with_suffix(".md").read_text(encoding="utf-8"), chart, "it") == text, path
