"""Where interviews are saved: one JSON file per response in the campaign's ``responses/`` folder,
locked by the session that has it open (:mod:`crassess.interview.locks`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from crassess.campaign.store import (
    CampaignBusy,
    CampaignUnwritable,
    Record,
    ResponseStore,
    campaign_of,
    response_name,
)
from crassess.errors import CrassessError, Problem
from crassess.i18n import register, t
from crassess.interview.locks import DraftLock, LockInfo, live_holder
from crassess.interview.signals import deferred
from crassess.questionnaire.models import Questionnaire, Response
from crassess.questionnaire.responses import (
    load_response,
    new_response_id,
    response_to_json,
)
from crassess.safe_text import safe_filename
from crassess.sources import remove_leftover_temporaries

register({
    "drafts.unwritable": {"it": "impossibile salvare la risposta qui: {error}", "en": "cannot save the response here: {error}"},
})

CLEAN_TIMEOUT = 5.0
"""Seconds the cleaning at the start of an interview waits for another writer of the campaign, then skips."""

RESPONSES_DIR = "responses"
"""Sub-folder of a campaign where interviews (and imports) write one JSON file per response."""


def timestamp(clock: Callable[[], datetime]) -> str:
    """``created``/``updated`` of a saved response: UTC, to the second."""
    return clock().astimezone(timezone.utc).replace(microsecond=0).isoformat()


def slug(text: str, limit: int = 40) -> str:
    """A safe file-name part: ASCII letters, digits and dashes (``"Caffè L'Arte srl"`` -> ``caffe-l-arte-srl``)."""
    return safe_filename(text, "risposta", limit)


def response_path(campaign: Path, response: Response) -> Path:
    """``<campaign>/responses/<organisation slug>-<full id>.json`` (see :mod:`crassess.campaign.store`)."""
    return campaign / RESPONSES_DIR / f"{response_name({'id': response.id, 'respondent': {'name': response.respondent.name}})}.json"


class DraftStore:
    """Where an interview is saved: a fixed file (resume) or a new file in the campaign.

    The file is locked for this session from the first save (or from :meth:`open` for a draft being
    resumed) to :meth:`release`; every save first checks that no other session has taken it over.
    """

    def __init__(self, campaign: Path | None = None, path: Path | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        if campaign is None and path is None:
            raise ValueError("a campaign folder or a file is needed")
        self.campaign = campaign
        self.path = path
        self.clock = clock
        self.lock: DraftLock | None = None
        self.cleaned: list[Path] = []

    def folder(self) -> Path:
        return self.path.parent if self.path is not None else self.campaign / RESPONSES_DIR  # type: ignore[operator]

    def _campaign(self) -> Path:
        return self.campaign if self.campaign is not None else campaign_of(self.path)  # type: ignore[arg-type]

    def clean(self) -> list[Path]:
        """Remove the temporary files of saves that a killed process never finished: under the campaign's
        lock no other writer is in the middle of one, so every such file is a leftover."""
        if not self.folder().is_dir():
            return []
        try:
            with ResponseStore(self._campaign(), "crassess interview", timeout=CLEAN_TIMEOUT).locked():
                self.cleaned = remove_leftover_temporaries(self.folder())
        except (CampaignBusy, CampaignUnwritable):
            self.cleaned = []  # another writer is busy, or nothing can be written here: try next time
        return self.cleaned

    def holder(self) -> LockInfo | None:
        """Another live session that has this draft open (``None`` when free or when the lock is ours)."""
        if self.path is None or (self.lock is not None and self.lock.owned()):
            return None
        return live_holder(self.path)

    def open(self, take_over: bool = False) -> DraftLock:
        """Lock the draft being resumed (:class:`crassess.interview.locks.Locked` if another session has it)."""
        assert self.path is not None
        self.lock = DraftLock.acquire(self.path, self.clock, take_over=take_over)
        return self.lock

    def save(self, response: Response) -> Path:
        """Write atomically under the campaign's lock, after checking (under that lock) that no other session
        has taken the draft over; a place that cannot be written (or a campaign locked by another writer for
        too long) stops the interview cleanly (never a traceback)."""
        if not response.id:
            response = response.model_copy(update={"id": new_response_id()})
        folder = self._campaign()
        record = Record(str(response.id), "", "", response_to_json(response).encode("utf-8"))
        target = self.path or response_path(folder, response)
        new_lock = self.lock is None
        store = ResponseStore(folder, "crassess interview")
        try:
            with store.locked():
                if self.lock is None:
                    self.lock = DraftLock.acquire(target, self.clock)
                else:
                    self.lock.check()
                with deferred():
                    path = store.save(record, target)
        except (CampaignUnwritable, OSError) as exc:
            if new_lock:
                self.release()
            error = exc.error if isinstance(exc, CampaignUnwritable) else (exc.strerror or str(exc))
            raise CrassessError(problems=[Problem(str(target), "", t("drafts.unwritable", error=error))]) from None
        self.path = path
        return path

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def find_by_source(folder: Path, sha256: str) -> tuple[Path, Response] | None:
    """The response in ``folder`` recorded from a source file with this content (``provenance.source_sha256``)."""
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            response = load_response(path)
        except CrassessError:
            continue
        if response.provenance is not None and response.provenance.source_sha256 == sha256:
            return path, response
    return None


def list_drafts(campaign: Path, questionnaire: Questionnaire) -> list[tuple[Path, Response]]:
    """The draft responses of this questionnaire in the campaign (unreadable files are left alone)."""
    folder = campaign / RESPONSES_DIR
    found = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            response = load_response(path)
        except CrassessError:
            continue
        if response.status == "draft" and response.questionnaire.id == questionnaire.id:
            found.append((path, response))
    return found
