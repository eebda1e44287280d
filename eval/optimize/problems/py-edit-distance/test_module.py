from module import edit_distance


def test_classic():
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("flaw", "lawn") == 2


def test_empty_strings():
    assert edit_distance("", "") == 0
    assert edit_distance("", "abc") == 3
    assert edit_distance("abc", "") == 3


def test_identical_and_symmetric():
    assert edit_distance("same", "same") == 0
    assert edit_distance("abc", "yabd") == edit_distance("yabd", "abc") == 2


def test_unicode():
    assert edit_distance("café", "cafe") == 1
    assert edit_distance("naïve", "naive") == 1
