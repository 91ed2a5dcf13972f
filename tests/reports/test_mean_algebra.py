"""What a reader can compute from published means: exact elimination over the mean lines."""

from __future__ import annotations

from crassess.reports.mean_algebra import leaks

# a wave's mean (8) = the pairs' (6) and those who left (2); the pairs' mean after = before + the change
N = {"all": 8, "pairs": 6, "left": 2, "after": 6, "change": 6, "b_all": 7, "entered": 1}
WAVE_A = [(1, "all"), (-1, "pairs"), (-1, "left")]


def test_a_mean_follows_from_its_total_and_the_other_part():
    assert leaks([WAVE_A], N, ["left"], {"left"}, 5) == [("left",)]
    assert leaks([WAVE_A], N, ["pairs", "left"], {"left"}, 5) == []


def test_through_a_chain_of_lines():
    # the pairs' mean before is withheld, but after and the change are shown: before = after - change
    chain = [WAVE_A, [(1, "after"), (-1, "pairs"), (-1, "change")]]
    assert leaks(chain, N, ["pairs", "left"], {"left"}, 5) == [("left",)]


def test_a_combination_of_small_groups_is_a_leak_a_large_one_is_not():
    lines = [WAVE_A, [(1, "b_all"), (-1, "after"), (-1, "entered")], [(1, "after"), (-1, "pairs"), (-1, "change")]]
    unknown = ["pairs", "after", "left", "entered"]
    assert leaks(lines, N, unknown, {"left", "entered"}, 5) == [("left", "entered")]  # 2 + 1 respondents
    assert leaks(lines, N, unknown, {"left", "entered"}, 3) == []  # 3 respondents: not fewer than min_n


def test_a_group_equal_to_its_only_part_says_nothing():
    assert leaks([[(1, "all"), (-1, "left")]], {"all": 2, "left": 2}, ["all", "left"], {"all", "left"}, 5) == []


def test_two_small_means_through_a_combination_of_lines():
    # A = s1 + s3 and B = s2 + s3 (n-weighted): A - B is s1 - s2, over 2 + 2 respondents, though each line
    # alone involves 5 (the rows of the echelon form are those two lines; the exact check of pairs finds it)
    n = {"A": 5, "B": 5, "s1": 2, "s2": 2, "s3": 3}
    lines = [[(1, "A"), (-1, "s1"), (-1, "s3")], [(1, "B"), (-1, "s2"), (-1, "s3")]]
    assert leaks(lines, n, ["s1", "s2", "s3"], {"s1", "s2", "s3"}, 5) == [("s1", "s2")]
    assert leaks(lines, n, ["s1", "s2", "s3"], {"s1", "s2", "s3"}, 4) == []
