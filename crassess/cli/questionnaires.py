"""``crassess questionnaires``: list, show, validate, schema."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from crassess.cli.options import console, echo, lang_option, territory_option
from crassess.i18n import get_language


@click.group()
def questionnaires() -> None:
    """Questionari: elenco, struttura, validazione, schema / questionnaires.

    Example:

    \b
        crassess questionnaires validate
    """


@questionnaires.command("list")
@lang_option
def questionnaires_list() -> None:
    """Elenca i questionari disponibili (forniti e dell'utente).

    Looks in $CRASSESS_PATH, ./questionnaires and the shipped ones.

    Example:

    \b
        crassess questionnaires list
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from crassess.questionnaire.catalogue import list_questionnaires

    lang = get_language()
    heads = {"it": ("ID", "Versione", "Settore", "Dimensioni", "Domande (punt.)", "Origine"),
             "en": ("ID", "Version", "Sector", "Dimensions", "Questions (scored)", "Origin")}[lang]
    table = Table(box=box.SIMPLE_HEAD)
    for i, head in enumerate(heads):
        table.add_column(head, no_wrap=i < 3, overflow="fold")
    rows = list_questionnaires()
    for row in rows:
        file = ("fornito" if lang == "it" else "shipped") if row.shipped else os.path.relpath(row.file.parent)
        if row.error:
            table.add_row(row.file.stem, "–", "–", "–", Text("non valido" if lang == "it" else "invalid", style="red"), file)
        else:
            q = row.questionnaire
            assert q is not None
            table.add_row(q.id, q.version, q.sector, str(len(q.dimensions)), f"{len(q.questions)} ({len(q.scored_questions)})", file)
    console().print(table)


@questionnaires.command("show")
@click.argument("questionnaire")
@lang_option
def questionnaires_show(questionnaire: str) -> None:
    """Mostra la struttura di un questionario (id o percorso).

    Example:

    \b
        crassess questionnaires show impresa --lang en
    """
    from crassess.questionnaire.catalogue import describe
    from crassess.questionnaire.load import load_questionnaire

    console().print(describe(load_questionnaire(questionnaire), get_language()))


@questionnaires.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@lang_option
def questionnaires_validate(paths: tuple[Path, ...]) -> None:
    """Valida i questionari indicati (default: quelli forniti, il catalogo dei servizi e la guida ai livelli).

    Every problem of every file is listed with file, line and question id. A service catalogue
    (servizi.yaml, or a file with a top-level services list) and a level guide (livelli.yaml)
    are validated as such.
    Exit code 1 if any file is invalid.

    Example:

    \b
        crassess questionnaires validate questionnaires/impresa.yaml
    """
    from crassess.questionnaire.catalogue import validate_files
    from crassess.questionnaire.models import LevelGuide, ServiceCatalogue

    results = validate_files(list(paths) or None)
    lang = get_language()
    ok_word = "valido" if lang == "it" else "valid"
    failed = False
    for file, item, problems in results:
        if problems:
            failed = True
            for p in problems:
                echo(p, err=True)
        elif isinstance(item, ServiceCatalogue):
            what, unit = {"it": ("catalogo dei servizi", "servizi"), "en": ("service catalogue", "services")}[lang]
            echo(f"{file}: {ok_word} ({what}, {len(item.services)} {unit})")
        elif isinstance(item, LevelGuide):
            what, unit = {"it": ("guida ai livelli", "livelli"), "en": ("level guide", "levels")}[lang]
            echo(f"{file}: {ok_word} ({what}, {len(item.levels)} {unit})")
        else:
            assert item is not None
            echo(f"{file}: {ok_word} ({item.id} {item.version}, {len(item.scored_questions)}/{len(item.questions)})")
    if not results:
        from crassess.i18n import t

        click.echo(t("q.none_shipped"), err=True)
        sys.exit(1)
    sys.exit(1 if failed else 0)


@questionnaires.command("xlsform")
@click.argument("questionnaire")
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path),
              help="File .xlsx del modulo XLSForm da scrivere.")
@territory_option
@lang_option
def questionnaires_xlsform(questionnaire: str, out: Path, territory: Path | None) -> None:
    """Scrive il modulo online (XLSForm) per KoboToolbox, ODK Central, Enketo.

    The form has the respondent profile (the comune chosen among the
    territory's), one group per dimension, skip logic and checks, "Non so" and
    "Non applicabile" where allowed, Italian and English. Upload it as it is;
    import the submissions with `crassess import`.

    Example:

    \b
        crassess questionnaires xlsform impresa -o impresa-modulo.xlsx
        crassess questionnaires xlsform comune -o comune.xlsx --territory comuni.csv
    """
    from crassess.errors import Problem, UsageError
    from crassess.forms.xlsform import describe, questionnaire_form
    from crassess.i18n import t
    from crassess.outputs import write_output
    from crassess.sheets import workbook_bytes

    if out.suffix.lower() != ".xlsx":
        raise UsageError(problems=[Problem(str(out), "", t("forms.out_suffix"))])
    layout, workbook = questionnaire_form(questionnaire, territory)
    write_output(out, workbook_bytes(workbook))
    click.echo(describe(layout, out))


@questionnaires.command("schema")
def questionnaires_schema() -> None:
    """Stampa lo JSON Schema del formato dei questionari (per l'editor).

    Example:

    \b
        crassess questionnaires schema > questionnaire.schema.json
    """
    from crassess.questionnaire.models import Questionnaire

    schema = Questionnaire.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "crassess questionnaire"
    click.echo(json.dumps(schema, ensure_ascii=False, indent=2))
