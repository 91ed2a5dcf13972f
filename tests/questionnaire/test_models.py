"""Derived views of the questionnaire model: content hash across format versions, scoring structure."""

from __future__ import annotations

import yaml

from crassess.questionnaire.load import validate_questionnaire
from tests.waves_fixtures import questionnaire

# content_hash of tests/waves_fixtures' questionnaire as computed before the format gained dont_know,
# overall_min_coverage, services, effort, service and min_size: returned workbooks carry this hash
HASH_1_0 = "3ee3222ada8b7548b8a215556e15eac0ad4f874b00cf812984d46ee21ab61c74"


def load(**changes):
    data = {**yaml.safe_load(questionnaire()), **changes}
    return validate_questionnaire(data, "mini.yaml")


def test_content_hash_unchanged_by_new_format_keys_left_unused():
    assert load().content_hash == HASH_1_0
    assert load(dont_know="missing", overall_min_coverage=1).content_hash == HASH_1_0  # defaults written out


def test_content_hash_changes_when_a_new_key_is_used():
    assert load(dont_know="zero").content_hash != HASH_1_0
    data = yaml.safe_load(questionnaire())
    data["questions"][0]["effort"] = "low"
    assert validate_questionnaire(data, "mini.yaml").content_hash != HASH_1_0


def test_scored_structure_leaves_out_targets_and_roadmap():
    base = load().scored_structure
    assert base["rules"] == {"min_coverage": 0.67, "overall_min_coverage": 1.0, "dont_know": "missing"}
    assert base["dimensions"] == [("conn", 1.0), ("comp", 1.0)]
    assert load(target=90).scored_structure_hash == load().scored_structure_hash
    assert load(min_coverage="2/3").scored_structure["rules"]["min_coverage"] == 2 / 3
