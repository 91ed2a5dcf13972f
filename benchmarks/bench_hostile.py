"""Peak memory of `crassess import` on hostile and oversized returned files: each imported or refused under 300 MB.

Usage:
    .venv/bin/python benchmarks/bench_hostile.py            # every case
    .venv/bin/python benchmarks/bench_hostile.py --keep     # keep the generated files

Each file is imported alone, by `crassess import` in its own process; the peak RSS is that of the largest
process of the import (the main one or a worker), read from the kernel (`ru_maxrss` of the waited children).
Exit code 1 if any case goes over the limit.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crassess.questionnaire.load import load_questionnaire  # noqa: E402
from crassess.questionnaire.models import Respondent  # noqa: E402
from crassess.spreadsheets.template import build_template  # noqa: E402

QUESTIONNAIRE = ROOT / "examples" / "esempio.yaml"
LIMIT_MB = 300
QUESTIONS = "xl/worksheets/sheet3.xml"
MEASURE = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
lines = [line for line in code.stderr.splitlines() if line.strip()]
first = next((line for line in lines if "errors report" not in line), "imported")
print(code.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, first[:300], len(lines), sep="\\t")
"""


def template() -> bytes:
    """A returned workbook with one answer (wifi: Sì), as a respondent's program writes it."""
    qn = load_questionnaire(QUESTIONNAIRE)
    wb = build_template(qn, "it", "11111111-2222-4333-8444-555555555555", Respondent(name="Rossi", comune="019036", size=3))
    sheet = wb["Domande"]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value == "wifi":
            sheet.cell(row, 4).value = "Sì"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, change: Callable[[str, bytes], bytes], extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info.filename)))
        for name, content in (extra or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def in_sheet(data: bytes, rows: bytes) -> bytes:
    return rezip(data, lambda n, c: c.replace(b"</sheetData>", rows + b"</sheetData>") if n == QUESTIONS else c)


def ods(tables: str) -> bytes:
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
               'office:version="1.2"><office:body><office:spreadsheet>' + tables + "</office:spreadsheet></office:body></office:document-content>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
        zf.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
                    'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
                    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
                    '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    return out.getvalue()


def big_shared_strings(data: bytes, rows: int, cols: int, unused: int = 0) -> bytes:
    """About the largest workbook the limits allow: the questions sheet filled with distinct shared strings,
    and ``unused`` more strings in the shared-strings part (calamine reads them all)."""
    letters = [chr(65 + c) if c < 26 else "A" + chr(65 + c - 26) for c in range(cols)]
    cells = io.BytesIO()
    for r in range(2, rows + 2):
        cells.write(b'<row r="%d">' % r)
        for c, col in enumerate(letters):
            cells.write(b'<c r="%s%d" t="s"><v>%d</v></c>' % (col.encode(), r, (r - 2) * cols + c))
        cells.write(b"</row>")
    total = rows * cols + unused
    strings = b"".join(b"<si><t>s%07d</t></si>" % i for i in range(total))
    shared = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
              b'count="%d" uniqueCount="%d">' % (total, total) + strings + b"</sst>")

    def change(name: str, content: bytes) -> bytes:
        if name == QUESTIONS:  # the header row, then the cells
            header = re.search(rb'<row r="1".*?</row>', content, flags=re.S)
            head = header.group() if header else b""
            return re.sub(rb"<sheetData>.*</sheetData>", b"<sheetData>" + head + cells.getvalue() + b"</sheetData>", content, flags=re.S)
        if name == "xl/_rels/workbook.xml.rels":
            return content.replace(b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
                                   b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        if name == "[Content_Types].xml":
            return content.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                   b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        return content
    return rezip(data, change, {"xl/sharedStrings.xml": shared})


def cases(base: bytes) -> dict[str, bytes]:
    cell = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    rng = random.Random(7)
    return {
        "valid.xlsx": base,
        "far-corner-cell.xlsx": in_sheet(base, far),
        "far-declared-dimension.xlsx": rezip(base, lambda n, c: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', c)),
        "20000-rows.xlsx": in_sheet(base, b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>q</t></is></c></row>' % (r, r)
                                                   for r in range(100, 20100))),
        "1000000-rows.xlsx": in_sheet(base, b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r) for r in range(100, 1_000_100))),
        "same-name-sheets.xlsx": rezip(base, lambda n, c: c.replace(b"</sheets>", b"".join(
            b'<sheet name="domande%s" sheetId="%d" r:id="rId3" />' % (b" " * i, 10 + i) for i in range(1, 40)) + b"</sheets>")
            if n == "xl/workbook.xml" else c),
        "largest-allowed-sheet.xlsx": big_shared_strings(base, 4990, 40),
        "largest-shared-strings.xlsx": big_shared_strings(base, 100, 10, unused=600_000),
        "ods-largest-allowed.ods": ods("".join(
            f'<table:table table:name="Z{i}"><table:table-row table:number-rows-repeated="5000"><table:table-cell '
            f'table:number-columns-repeated="29" office:value-type="string"><text:p>testo {i}</text:p></table:table-cell>'
            "</table:table-row></table:table>" for i in range(2))),
        "ods-repeated-cells.ods": ods('<table:table table:name="Z"><table:table-row table:number-rows-repeated="1000000">'
                                      '<table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x'
                                      "</text:p></table:table-cell></table:table-row></table:table>"),
        "ods-far-cell.ods": ods('<table:table table:name="Z"><table:table-row table:number-rows-repeated="1048570"><table:table-cell '
                                'table:number-columns-repeated="16384"/></table:table-row><table:table-row><table:table-cell '
                                'table:number-columns-repeated="16000"/>' + cell + "</table:table-row></table:table>"),
        "ods-spaces.ods": ods('<table:table table:name="Z"><table:table-row><table:table-cell office:value-type="string"><text:p>a'
                              '<text:s text:c="2000000000"/></text:p></table:table-cell></table:table-row></table:table>'),
        "1000000-lines.csv": b"ID;Risposta\n" + b"x\n" * 1_000_000,
        "largest-allowed.csv": b"ID;Risposta\n#questionnaire;esempio\n#version;1.0.0\n" + b"".join(b"riga_%d;%s\n" % (i, b"y" * 480) for i in range(9_990)),
        "utf16.csv": "ID\tRisposta\n#questionnaire\tesempio\n#version\t1.0.0\n#name\tX\n#comune\tCrema\nwifi\tSì\n".encode("utf-16"),
        "random-20MB.xlsx": rng.randbytes(20 * 2**20 - 1),
    }


def measure(path: Path, campaign: Path) -> tuple[int, float, float, str]:
    command = [str(Path(sys.executable).parent / "crassess"), "import", str(path), "--campaign", str(campaign),
               "-q", str(QUESTIONNAIRE), "--lang", "en"]
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True).stdout
    took = time.perf_counter() - start
    code, peak_kb, first, lines = out.rstrip("\n").split("\t")
    return int(code), int(peak_kb) / 1024, took, f"{first} [{lines} lines]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="crassess-hostile-"))
    over = []
    try:
        corpus = cases(template())
        print(f"{'file':36} {'size':>9} {'exit':>4} {'peak RSS':>9} {'time':>6}  outcome (first line on stderr)")
        for i, (name, data) in enumerate(corpus.items()):
            path = work / name
            path.write_bytes(data)
            code, peak, took, last = measure(path, work / f"campaign-{i}")
            over += [name] if peak >= LIMIT_MB else []
            print(f"{name:36} {len(data) / 2**20:7.2f}MB {code:4d} {peak:7.0f}MB {took:5.1f}s  {last.replace(str(path) + ': ', '')[:110]}")
        print(f"largest peak RSS must stay under {LIMIT_MB} MB: {'FAILED: ' + ', '.join(over) if over else 'ok'}; "
              f"load average {os.getloadavg()[0]:.1f}")
    finally:
        if args.keep:
            print(f"files kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()
