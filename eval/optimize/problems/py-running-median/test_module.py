from module import running_medians


def test_odd_and_even_prefixes():
    assert running_medians([5, 1, 3, 10]) == [5, 3.0, 3, 4.0]


def test_empty():
    assert running_medians([]) == []


def test_duplicates():
    assert running_medians([2, 2, 2, 2]) == [2, 2.0, 2, 2.0]


def test_floats_and_negatives():
    assert running_medians([-1.5, 0.5]) == [-1.5, -0.5]


def test_input_not_modified():
    samples = [3, 1, 2]
    running_medians(samples)
    assert samples == [3, 1, 2]
