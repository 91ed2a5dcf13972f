"""The files an import reads: the paths given, and the spreadsheets in the folders given; every other file of
those folders is accounted for, with the reason it is skipped (never silently left out, never opened if it
could block: a FIFO, a device)."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from crassess.i18n import register, t
from crassess.spreadsheets.read import CSV_SUFFIXES, WORKBOOK_SUFFIXES

SUFFIXES = WORKBOOK_SUFFIXES + CSV_SUFFIXES

register({
    "in.skipped": {"it": "saltato: {reason}", "en": "skipped: {reason}"},
    "in.hidden": {"it": "file nascosto (il nome inizia con '.')", "en": "hidden file (the name starts with '.')"},
    "in.hidden_dir": {"it": "cartella nascosta (il nome inizia con '.')", "en": "hidden folder (the name starts with '.')"},
    "in.lock": {"it": "file di blocco di Excel o LibreOffice (il documento era aperto)", "en": "Excel or LibreOffice lock file (the document was open)"},
    "in.campaign": {"it": "è la cartella della campagna", "en": "it is the campaign folder"},
    "in.not_regular": {"it": "non è un file normale (FIFO, dispositivo o socket)", "en": "not a regular file (a FIFO, a device or a socket)"},
    "in.broken_link": {"it": "collegamento a un file che non esiste", "en": "link to a file that does not exist"},
    "in.unreadable": {"it": "illeggibile: {error}", "en": "unreadable: {error}"},
    "in.suffix": {"it": "tipo di file non gestito ({suffix})", "en": "unsupported file type ({suffix})"},
    "in.xls": {"it": "vecchio formato Excel 97-2003 (.xls): salvarlo come .xlsx e importarlo", "en": "old Excel 97-2003 format (.xls): save it as .xlsx and import it"},
    "in.xlsb": {"it": "formato binario di Excel (.xlsb): salvarlo come .xlsx e importarlo", "en": "Excel binary format (.xlsb): save it as .xlsx and import it"},
    "in.numbers": {"it": "file di Apple Numbers: esportarlo in Excel (.xlsx) e importarlo", "en": "Apple Numbers file: export it to Excel (.xlsx) and import it"},
    "in.archive": {"it": "archivio compresso ({suffix}): estrarne i file e importarli", "en": "compressed archive ({suffix}): extract its files and import them"},
    "in.template": {"it": "modello di foglio ({suffix}): salvarlo come .xlsx o .ods", "en": "spreadsheet template ({suffix}): save it as .xlsx or .ods"},
})

_BY_SUFFIX = {
    ".xls": "in.xls", ".xlsb": "in.xlsb", ".numbers": "in.numbers",
    ".zip": "in.archive", ".7z": "in.archive", ".rar": "in.archive", ".gz": "in.archive",
    ".xlt": "in.template", ".xltx": "in.template", ".xltm": "in.template", ".ots": "in.template",
}


@dataclass(frozen=True)
class Skipped:
    """A file or folder found in an input folder and not read, with the reason (in the user's language)."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: " + t("in.skipped", reason=self.reason)


@dataclass(frozen=True)
class Inputs:
    paths: list[Path]
    skipped: list[Skipped] = field(default_factory=list)


def _why_not(path: Path, name: str, suffixes: tuple[str, ...] = SUFFIXES) -> str | None:
    """Why a file found in a folder is not read, or ``None`` when it is a spreadsheet to import."""
    if name.startswith(("~$", ".~lock")):
        return t("in.lock")
    if name.startswith("."):
        return t("in.hidden")
    try:
        mode = os.stat(path).st_mode  # follows a link: what counts is the file it points to
    except FileNotFoundError:
        return t("in.broken_link")
    except OSError as exc:
        return t("in.unreadable", error=exc.strerror or exc)
    if not stat.S_ISREG(mode):
        return t("in.not_regular")
    suffix = path.suffix.lower()
    if suffix not in suffixes:
        return t(_BY_SUFFIX.get(suffix, "in.suffix"), suffix=suffix or "-")
    if not os.access(path, os.R_OK):
        return t("in.unreadable", error=os.strerror(13))
    return None


def collect_paths(inputs: Sequence[Path], campaign: Path, suffixes: tuple[str, ...] = SUFFIXES) -> Inputs:
    """Files as given (each is read, and refused with its reason if it cannot be), and the files with
    ``suffixes`` inside folders (sorted); every other entry of those folders is listed in ``skipped``."""
    paths: list[Path] = []
    skipped: list[Skipped] = []
    campaign_dir = campaign.resolve()
    for given in inputs:
        if not given.is_dir():
            paths.append(given)
            continue
        found: list[Path] = []
        for root, dirs, files in os.walk(given):
            here = Path(root)
            keep = []
            for name in sorted(dirs):
                if name.startswith("."):
                    skipped.append(Skipped(str(here / name), t("in.hidden_dir")))
                elif (here / name).resolve() == campaign_dir:
                    skipped.append(Skipped(str(here / name), t("in.campaign")))
                else:
                    keep.append(name)
            dirs[:] = keep
            for name in sorted(files):
                reason = _why_not(here / name, name, suffixes)
                if reason is None:
                    found.append(here / name)
                else:
                    skipped.append(Skipped(str(here / name), reason))
        paths += sorted(found)
    return Inputs(paths, skipped)
