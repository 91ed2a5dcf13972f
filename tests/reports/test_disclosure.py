"""Disclosure control: primary and secondary suppression, linked tables, means; audited by LP."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from crassess.reports.disclosure import (
    PRIMARY,
    SECONDARY,
    DisclosureError,
    Mark,
    Protection,
    Publication,
    Withheld,
    mark_label,
    notes,
)
from tests.conftest import ROOT
from tests.reports.audit import audit


def _table(parts: dict[str, int], min_n: int = 5, public_total: bool = True) -> Protection:
    pub = Publication(min_n)
    pub.partition("total", parts, public_total=public_total, table="t")
    return pub.solve()


def _only_primary(protection: Protection) -> Protection:
    """The same publication with the secondary cells shown again (what the reports used to do)."""
    kept = {k: v for k, v in protection.withheld.items() if v is Mark.PRIMARY}
    return Protection(protection.min_n, protection.cells, protection.lines, protection.means, protection.mean_lines, kept,
                      protection.hidden)


def test_one_withheld_cell_beside_its_total_gets_a_secondary_partner() -> None:
    # leak 1: 6 + 5 + 5 + 1 = 17 shown with the total gives the withheld cell
    p = _table({"maggioranza": 6, "minoranza": 5, "quasi_nessuno": 5, "quasi_tutti": 1})
    assert p.count("quasi_tutti") == PRIMARY
    # the smallest cell above min_n: a withheld 5 could only be 0 or 5, so 1 + 5 would pin both
    assert p.count("maggioranza") == SECONDARY
    assert p.count("quasi_nessuno") == 5 and p.count("minoranza") == 5 and p.count("total") == 17
    assert audit(p) == [] and audit(p, "marks") == []
    assert [x.key for x in audit(_only_primary(p))] == ["quasi_tutti"]  # the auditor sees the old leak


def test_cells_pinned_by_the_at_least_one_rule() -> None:
    # leak 2: two withheld cells whose shown remainder is 2 are 1 each
    p = _table({"a": 1, "b": 1, "c": 10, "d": 12})
    assert p.withheld == {"a": Mark.PRIMARY, "b": Mark.PRIMARY, "c": Mark.SECONDARY}
    assert audit(p) == [] and audit(p, "marks") == []
    assert {x.key for x in audit(_only_primary(p))} == {"a", "b"}


def test_cells_pinned_at_the_upper_bound() -> None:
    p = _table({"a": 4, "b": 4, "c": 9, "d": 30})  # a + b = 8 with a, b <= 4
    assert p.withheld == {"a": Mark.PRIMARY, "b": Mark.PRIMARY, "c": Mark.SECONDARY}
    assert audit(p) == []


def test_a_secondary_of_exactly_min_n_is_avoided_when_its_mark_is_known() -> None:
    # a secondary cell is 0 or >= 5, so withholding 1 and 5 of a known 6 would pin both
    p = _table({"a": 1, "b": 5, "d": 20})
    assert p.withheld == {"a": Mark.PRIMARY, "d": Mark.SECONDARY}
    assert audit(p) == [] and audit(p, "marks") == []
    # nothing else to withhold: safe for the LP audit, but a reader who reasons on the marks finds a = 1,
    # so the table is not published
    p = _table({"a": 1, "b": 5, "c": 0})
    assert not p.published("t") and p.count("total") == 6
    assert audit(p) == [] and audit(p, "marks") == []
    pub = Publication(5)  # the same outside a named table: LP-safe only (best effort)
    pub.partition("total", {"a": 1, "b": 5, "c": 0}, public_total=True)
    p = pub.solve()
    assert p.withheld == {"a": Mark.PRIMARY, "b": Mark.SECONDARY}
    assert audit(p) == [] and [x.key for x in audit(p, "marks")] == ["a"]


def test_zeros_stay_shown_when_they_give_nothing_away() -> None:
    # a = total, both withheld and in [1, 4]: the zeros tell nothing more
    p = _table({"a": 3, "b": 0, "c": 0}, public_total=False)
    assert p.withheld == {"a": Mark.PRIMARY, "total": Mark.PRIMARY}
    assert p.count("b") == 0 and audit(p) == [] and audit(p, "marks") == []


def test_a_cell_shown_in_two_tables_is_withheld_in_both() -> None:
    # leak 3: Crema's "fibre adopted" withheld in the connectivity table, computable from another table
    pub = Publication(5)
    pub.partition(("fibre", "Crema", "n"), {("fibre", "Crema", "none"): 3, ("fibre", "Crema", "adopted"): 2,
                                            ("fibre", "Crema", "not_adopted"): 0})
    # the indicators table: respondents and "with fibre" of the same comune (same keys), and its column total
    pub.partition(("fibre", "*", "adopted"), {("fibre", "Crema", "adopted"): 2, ("fibre", "Cremona", "adopted"): 6})
    pub.count(("fibre", "Cremona", "adopted"), 6)
    p = pub.solve()
    assert p.count(("fibre", "Crema", "adopted")) == PRIMARY
    assert p.share(("fibre", "Crema", "adopted"), ("fibre", "Crema", "n")) == PRIMARY
    assert p.count(("fibre", "Cremona", "adopted")) == SECONDARY  # else the column total gives Crema's
    assert audit(p) == [] and audit(p, "marks") == []
    assert audit(_only_primary(p)) != []


def test_a_cell_pinned_through_another_table_is_protected_there() -> None:
    # rows: comuni (associations + businesses = total); columns: a sector by comune with a public total
    pub = Publication(5)
    for comune, assoc, firms in (("Crema", 2, 3), ("Cremona", 9, 8), ("Pandino", 0, 6)):
        pub.partition(("total", comune), {("at", "assoc", comune): assoc, ("at", "firms", comune): firms})
    pub.partition(("n", "assoc"), {("at", "assoc", c): v for c, v in (("Crema", 2), ("Cremona", 9), ("Pandino", 0))},
                  public_total=True)
    pub.partition(("n", "firms"), {("at", "firms", c): v for c, v in (("Crema", 3), ("Cremona", 8), ("Pandino", 6))},
                  public_total=True)
    # the row totals add up to the public 28: only a combination of lines gives a withheld total, which
    # propagation (line by line) misses and the witness search finds
    p = pub.solve()
    assert p.status(("at", "assoc", "Crema")) is Mark.PRIMARY and p.status(("at", "firms", "Crema")) is Mark.PRIMARY
    assert audit(p) == [] and audit(p, "marks") == []


def test_hidden_complement_of_a_small_group_is_protected() -> None:
    # 17 of 18 named an item: the one who did not is a figure about 1 respondent
    pub = Publication(5)
    pub.count("answered", 18, public=True)
    pub.count("named", 17)
    pub.complement("answered", "named", "not_named")
    p = pub.solve()
    assert p.count("named") == SECONDARY and p.share("named", "answered") == SECONDARY
    assert audit(p) == []
    with pytest.raises(DisclosureError, match="hidden"):
        p.count("not_named")


def test_a_table_that_cannot_be_protected_is_left_unpublished() -> None:
    # five respondents (public) in five size classes: each class is 1, whatever is withheld
    pub = Publication(5)
    pub.partition("n", {f"class{i}": 1 for i in range(5)}, public_total=True, table="sizes")
    pub.partition("levels", {"low": 2, "high": 3}, table="levels")
    pub.line("n", ["levels"])
    p = pub.solve()
    assert not p.published("sizes") and p.published("levels")
    assert p.count("n") == 5 and p.count("low") == PRIMARY
    with pytest.raises(DisclosureError, match="unpublished"):
        p.count("class0")
    assert audit(p) == []


def test_unprotectable_structure_is_a_programming_error() -> None:
    pub = Publication(5)
    pub.count("a", 2)
    pub.count("b", 7, public=True)
    pub.count("total", 9, public=True)
    pub.line("total", ["a", "b"])
    with pytest.raises(DisclosureError, match="cannot be protected"):
        pub.solve()


def test_means_over_groups() -> None:
    # "total minus one group": with the total mean and one part shown, the other part's mean follows
    pub = Publication(5)
    pub.partition(("n", "all"), {("n", "a"): 7, ("n", "b"): 3}, public_total=True)
    pub.mean(("mean", "all"), 56.0, ("n", "all"))
    pub.mean(("mean", "a"), 50.0, ("n", "a"))
    pub.mean(("mean", "b"), 70.0, ("n", "b"))
    pub.mean_line(("mean", "all"), [("mean", "a"), ("mean", "b")])
    p = pub.solve()
    assert p.mean(("mean", "all")) == 56.0
    assert p.mean(("mean", "b")) == PRIMARY and p.mean(("mean", "a")) == SECONDARY
    assert audit(p) == []
    assert [x.key for x in audit(_only_primary(p))] == [("n", "b"), ("mean", "b")]
    with pytest.raises(DisclosureError, match="weighted mean"):
        pub.mean(("mean", "wrong"), 60.0, ("n", "all"))
        pub.mean_line(("mean", "wrong"), [("mean", "a"), ("mean", "b")])


def test_registration_errors() -> None:
    pub = Publication(5)
    pub.count("a", 3)
    with pytest.raises(DisclosureError, match="two values"):
        pub.count("a", 4)
    with pytest.raises(DisclosureError, match="does not hold"):
        pub.count("b", 2)
        pub.line("a", ["b"])
    with pytest.raises(DisclosureError, match="unregistered"):
        pub.line("a", ["zzz"])
    with pytest.raises(DisclosureError, match="whole number"):
        pub.count("c", -1)
    with pytest.raises(DisclosureError, match="at least 3"):
        Publication(2)
    with pytest.raises(DisclosureError, match="not registered"):
        pub.solve().count("nope")


def test_marks_and_notes() -> None:
    assert mark_label(PRIMARY, 5, "it") == "n<5" and mark_label(SECONDARY, 5, "it") == "riservato"
    assert mark_label(Mark.SECONDARY, 3, "en") == "suppressed" and mark_label(PRIMARY, 3, "en") == "n<3"
    assert "`n<5`" in notes(5, "it") and "`riservato`" in notes(5, "it") and "`suppressed`" in notes(5, "en")
    assert Withheld(Mark.PRIMARY).primary and not SECONDARY.primary


def test_shares_reveal_counts() -> None:
    p = _table({"a": 6, "b": 0, "c": 12})
    assert p.share("a", "total") == pytest.approx(100 * 6 / 18) and p.share("b", "total") == 0.0
    empty = _table({"a": 0})
    assert empty.share("a", "total") is None


# ---------------------------------------------------------------- generated tables

counts = st.integers(min_value=0, max_value=14)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(counts, min_size=1, max_size=7), st.integers(min_value=3, max_value=6))
def test_generated_one_way_tables_are_safe(values: list[int], min_n: int) -> None:
    assume(sum(values) >= min_n)  # a group smaller than min_n is not broken down at all
    p = _table({f"c{i}": v for i, v in enumerate(values)}, min_n)
    assert audit(p) == []
    assert audit(p, "marks") == []
    if not p.published("t"):
        return
    for i, v in enumerate(values):
        shown = p.count(f"c{i}")
        assert shown == v or isinstance(shown, Withheld)
        assert not (0 < v < min_n) or shown == PRIMARY


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(counts, min_size=2, max_size=4), min_size=2, max_size=5).filter(
    lambda rows: len({len(r) for r in rows}) == 1), st.integers(min_value=3, max_value=5))
def test_generated_two_way_tables_with_margins_are_safe(rows: list[list[int]], min_n: int) -> None:
    pub = Publication(min_n)
    for i, row in enumerate(rows):
        pub.partition(("row", i), {(i, j): v for j, v in enumerate(row)})
    for j in range(len(rows[0])):
        pub.partition(("col", j), {(i, j): rows[i][j] for i in range(len(rows))})
    assume(sum(map(sum, rows)) >= min_n)
    pub.partition("grand", {("row", i): sum(r) for i, r in enumerate(rows)}, public_total=True)
    pub.line("grand", [("col", j) for j in range(len(rows[0]))])
    pub.table("crosstab", [k for k in pub._cells if k != "grand"])
    p = pub.solve()
    assert audit(p) == []
    assert audit(p, "marks") == []


def test_the_readme_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("```python\nfrom crassess.reports.disclosure import")
    code = text[start + len("```python\n"):text.index("```\n", start + 10)]
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out.startswith("n<5 / `n<5`: a figure over fewer than 5 respondents")


def test_what_a_reader_knows_anyway_counts() -> None:
    pub = Publication(5)
    pub.partition("total", {"listed": 1, "more": 9}, public_total=True, table="t")
    p = pub.solve()
    assert p.withheld == {"listed": Mark.PRIMARY, "more": Mark.SECONDARY}  # 1 + 9 = 10: listed in [1, 4]
    # a reader who knows "more" is at least 9 finds listed = 10 - 9 = 1: the table cannot be published
    pub = Publication(5)
    pub.count("more", 9, at_least=9)
    pub.partition("total", {"listed": 1, "more": 9}, public_total=True, table="t")
    p = pub.solve()
    assert not p.published("t") and audit(p) == []
    with pytest.raises(DisclosureError, match="known bounds"):
        pub.count("x", 0, at_least=1)
