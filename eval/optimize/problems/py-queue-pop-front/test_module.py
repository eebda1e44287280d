from module import build_order


def test_breadth_first():
    deps = {"app": ["web", "db"], "web": ["http"], "db": ["driver"], "http": [], "driver": []}
    assert build_order(deps, ["app"]) == ["app", "web", "db", "http", "driver"]


def test_each_package_once_even_with_cycles():
    deps = {"a": ["b"], "b": ["a", "c"], "c": ["a"]}
    assert build_order(deps, ["a"]) == ["a", "b", "c"]


def test_no_roots():
    assert build_order({"a": ["b"]}, []) == []


def test_repeated_roots_and_unknown_packages():
    assert build_order({"a": ["ü"]}, ["a", "a", "x"]) == ["a", "x", "ü"]


def test_graph_not_modified():
    deps = {"a": ["b"], "b": []}
    build_order(deps, ["a"])
    assert deps == {"a": ["b"], "b": []}
