"""Where interviews are saved: one JSON file per response in the campaign's ``responses/`` folder."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from crassess.campaign.store import CampaignUnwritable, Record, ResponseStore, campaign_of, response_name
from crassess.errors import CrassessError, Problem
from crassess.i18n import register, t
from crassess.questionnaire.models import Questionnaire, Response
from crassess.questionnaire.responses import (
    load_response,
    new_response_id,
    response_to_json,
)
from crassess.safe_text import safe_filename

register({
    "drafts.unwritable": {"it": "impossibile salvare la risposta qui: {error}", "en": "cannot save the response here: {error}"},
})

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
    """Where an interview is saved: a fixed file (resume) or a new file in the campaign."""

    def __init__(self, campaign: Path | None = None, path: Path | None = None):
        if campaign is None and path is None:
            raise ValueError("a campaign folder or a file is needed")
        self.campaign = campaign
        self.path = path

    def save(self, response: Response) -> Path:
        """Write atomically under the campaign's lock; a place that cannot be written (or a campaign locked by
        another writer for too long) stops the interview cleanly (never a traceback)."""
        if not response.id:
            response = response.model_copy(update={"id": new_response_id()})
        folder = self.campaign if self.campaign is not None else campaign_of(self.path)  # type: ignore[arg-type]
        record = Record(str(response.id), "", "", response_to_json(response).encode("utf-8"))
        target = self.path or response_path(folder, response)
        try:
            path = ResponseStore(folder, "crassess interview").save(record, target)
        except CampaignUnwritable as exc:
            raise CrassessError(problems=[Problem(str(target), "", t("drafts.unwritable", error=exc.error))]) from None
        self.path = path
        return path


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
