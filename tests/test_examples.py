"""Every example in README.md and in the commands' --help runs, in a sandbox holding the files it names.

README examples are the ``$ crassess …`` lines of console blocks; a code block preceded by
``<!-- file: NAME -->`` is written into the sandbox as NAME (so the README's sample answers file is the one
the example imports). Help examples are the ``crassess …`` lines after ``Example:``. Each example runs in a
fresh copy of the sandbox and must exit 0 unless :data:`EXPECTED` says otherwise.
"""

from __future__ import annotations

import glob
import json
import re
import shlex
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from crassess.cli.main import cli
from tests.conftest import ROOT

DEMO_CAMPAIGN = ROOT / "reports" / "demo" / "campagna"

# Examples that must not exit 0, with a text their output must contain.
EXPECTED: dict[str, tuple[int, str]] = {
    "crassess indicators check rotto.csv": (1, "rotto.csv"),
}
# Interactive examples refuse without a terminal (exit 2, pointing to --answers): that proves they parse.
NEEDS_TERMINAL = re.compile(r"^crassess interview (?!.*--answers)")


def _readme_examples(text: str) -> list[str]:
    out, in_console = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            in_console = not in_console and line.strip() in ("```console", "```sh", "```shell", "```bash")
            continue
        if in_console and line.startswith("$ crassess "):
            out.append(line[2:])
    return out


def _readme_files(text: str) -> dict[str, str]:
    files = {}
    for match in re.finditer(r"<!-- file: (\S+) -->\n```[^\n]*\n(.*?)\n```", text, re.S):
        files[match.group(1)] = match.group(2) + "\n"
    return files


def _help_examples() -> list[str]:
    out = []

    def walk(group: click.Group) -> None:
        for command in group.commands.values():
            for line in (command.help or "").split("Example:")[-1].splitlines():
                if line.strip().startswith("crassess "):
                    out.append(line.strip())
            if isinstance(command, click.Group):
                walk(command)

    walk(cli)
    return out


def _clean(example: str) -> str:
    example = re.sub(r"\s+#.*$", "", example)  # trailing comment
    example = example.split(" | ")[0]  # `| head -2`: the command alone
    return example.strip()


README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = sorted({_clean(e) for e in _readme_examples(README) + _help_examples()})


def _draft(source: Path, target: Path) -> None:
    data = json.loads(source.read_text(encoding="utf-8"))
    data["status"] = "draft"
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Files the examples name: campaigns (from the committed demo), returned workbooks, CSV inputs."""
    from crassess.questionnaire.load import load_questionnaire
    from crassess.questionnaire.models import Respondent
    from crassess.sheets import workbook_bytes
    from crassess.spreadsheets.layout import answer_cells
    from crassess.spreadsheets.template import build_template, fill_answers

    box = tmp_path_factory.mktemp("sandbox")
    shutil.copytree(ROOT / "examples", box / "examples")
    shutil.copytree(ROOT / "questionnaires", box / "questionnaires")
    for name in ("2026-T0", "2026", "2027-T1"):
        shutil.copytree(DEMO_CAMPAIGN, box / "campagne" / name, ignore=shutil.ignore_patterns("restituiti"))
    for name in ("2026-T0", "2027-T1"):
        config = box / "campagne" / name / "campaign.yaml"
        config.write_text(config.read_text(encoding="utf-8") + f"wave: {name}\n", encoding="utf-8")
    returned = sorted((DEMO_CAMPAIGN / "restituiti").glob("*.xlsx"))
    shutil.copytree(DEMO_CAMPAIGN / "restituiti", box / "ritorni")
    (box / "altre").mkdir()
    impresa = [p for p in returned if "impresa" in p.name]
    shutil.copy(impresa[0], box / "risposta.xlsx")
    shutil.copy(impresa[1], box / "altre" / impresa[1].name)
    responses = sorted((DEMO_CAMPAIGN / "responses").glob("impresa-*.json"))
    shutil.copy(responses[0], box / "risposta.json")
    for name in ("rossi-meccanica-srl-1f0c2c5e.json", "rossi-srl-1f0c2c5e.json"):
        _draft(responses[0], box / "campagne" / "2026-T0" / "responses" / name)
    esempio = load_questionnaire(ROOT / "examples" / "esempio.yaml")
    wb = build_template(esempio, "it", "00000000-0000-4000-8000-000000000001", Respondent(name="Rossi srl", comune="Crema"))
    fill_answers(wb, answer_cells(esempio, {"wifi": "si"}, "it"), "it")
    (box / "risposta-esempio.xlsx").write_bytes(workbook_bytes(wb))
    (box / "imprese.csv").write_text(
        "name,comune,size,subsector\nRossi Meccanica srl,Cremona,12,C\nCaffè Verdi,Crema,3,I\n", encoding="utf-8")
    shutil.copy(DEMO_CAMPAIGN / "indicatori-sintetici.csv", box / "banda_larga.csv")
    (box / "rotto.csv").write_text("istat;FTTH (%)\n019036;78,4\n019036;12\nCremona;5\n019035;abc\n", encoding="utf-8")
    _online_forms(box)
    for name, text in _readme_files(README).items():
        (box / name).write_text(text, encoding="utf-8")
    return box


def _online_forms(box: Path) -> None:
    """Submission exports of the demo's online responses: KoboToolbox (the demo's own export), ODK Central."""
    from crassess.forms.layout import form_layout
    from crassess.questionnaire.load import load_questionnaire
    from crassess.questionnaire.models import Response
    from crassess.territory.comuni import load_territory
    from tests.forms.platforms import (
        odk_csv,
        odk_rows,
        odk_submissions,
        odk_zip,
        shape,
        xform,
    )

    kobo = DEMO_CAMPAIGN / "invii" / "impresa_-_all_versions_-_XML_values.csv"
    shutil.copy(kobo, box / kobo.name)
    shutil.copy(kobo, box / "kobo-impresa.csv")
    online = [Response.model_validate(json.loads(p.read_text(encoding="utf-8"))) for p in sorted((DEMO_CAMPAIGN / "responses").glob("impresa-*.json"))]
    online = [r for r in online if r.provenance and r.provenance.model_dump().get("platform") == "kobo"]
    layout = form_layout(load_questionnaire(DEMO_CAMPAIGN / "questionnaires" / "impresa.yaml"), load_territory())
    form = shape(xform(layout))
    (box / "impresa.csv.zip").write_bytes(odk_zip(form, odk_csv(odk_rows(form, odk_submissions(layout, online[:3])))))
    (box / "invii").mkdir()
    (box / "invii" / "impresa.csv").write_bytes(odk_csv(odk_rows(form, odk_submissions(layout, online[3:]))))
    (box / "comuni.csv").write_text("istat,nome\n019036,Cremona\n019035,Crema\n", encoding="utf-8")


def _args(example: str, cwd: Path) -> list[str]:
    args = []
    for word in shlex.split(example)[1:]:
        if word.startswith(">"):
            break
        word = word.replace("/tmp/", f"{cwd}/tmp/")
        args += sorted(glob.glob(word, root_dir=cwd)) if any(c in word for c in "*?[") else [word]
    return args


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_runs(example: str, sandbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cwd = tmp_path / "box"
    shutil.copytree(sandbox, cwd)
    if example.startswith("crassess campaign init "):  # the example makes a new campaign: not there yet
        shutil.rmtree(cwd / shlex.split(example)[3], ignore_errors=True)
    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(cli, _args(example, cwd))
    output = result.output
    if NEEDS_TERMINAL.match(example):
        assert result.exit_code == 2 and "--answers" in output, output
        return
    code, text = EXPECTED.get(example, (0, ""))
    assert result.exit_code == code, f"{example}\n{output}\n{result.exception!r}"
    assert text in output


def test_examples_are_found() -> None:
    assert len(_readme_examples(README)) >= 20 and len(_help_examples()) >= 25
    assert "crassess interview impresa --campaign campagne/2026-T0 --answers cartaceo-12.yaml" in EXAMPLES
    assert "cartaceo-12.yaml" in _readme_files(README)


def test_a_wrong_example_fails(sandbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(sandbox, tmp_path / "box")
    monkeypatch.chdir(tmp_path / "box")
    (tmp_path / "box" / "bad.yaml").write_text("respondent: {name: X, comune: Crema}\nanswers: {non_esiste: si}\n",
                                               encoding="utf-8")
    result = CliRunner().invoke(cli, _args("crassess interview impresa --campaign c --answers bad.yaml", tmp_path))
    assert result.exit_code == 1 and "non_esiste" in result.output
