from module import count_pairs_with_sum


def test_simple():
    assert count_pairs_with_sum([1, 2, 3, 4], 5) == 2


def test_empty_and_single():
    assert count_pairs_with_sum([], 0) == 0
    assert count_pairs_with_sum([5], 10) == 0


def test_duplicates_count_each_pair_once():
    assert count_pairs_with_sum([2, 2, 2], 4) == 3
    assert count_pairs_with_sum([1, 1, 3, 3], 4) == 4


def test_negative_amounts_and_zero_target():
    assert count_pairs_with_sum([-5, 5, 0, 0, 7], 0) == 2


def test_no_pairs():
    assert count_pairs_with_sum([1, 2, 3], 100) == 0
