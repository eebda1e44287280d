// The Python side of the proof: a driver run in the sandbox that loads both versions apart, draws inputs with
// Hypothesis, compares results / raised exception types / arguments after the call, and measures the old function's
// line and branch coverage with coverage.py. It prints one JSON line (prefixed with a per-run nonce) at the end.
import type { PythonRunner } from '../../codegen/tests/environment';

export const PY_EQ_DRIVER_PATH = '.evolve-eq/driver.py';
export const PY_EQ_CONFIG_PATH = '.evolve-eq/config.json';
export const PY_EQ_GENERATOR_PATH = '.evolve-eq/input_gen.py';
/** Relative and absolute tolerance of float comparisons (math.isclose); the README and the result message say so. */
export const FLOAT_REL_TOL = 1e-9;
export const FLOAT_ABS_TOL = 1e-12;

// Python 3.9+ (ast end_lineno needs 3.8; typing.get_type_hints of builtins generics needs 3.9).
const DRIVER = String.raw`# Compares two versions of one function on generated inputs (Hypothesis) and reports one JSON line.
import ast
import asyncio
import collections.abc
import copy
import importlib
import importlib.util
import inspect
import json
import math
import os
import sys
import traceback
import typing

# The nonce comes on stdin (not argv or the environment, which the code under study could read back and forge).
NONCE = sys.stdin.readline().strip()
with open(sys.argv[1], encoding="utf-8") as f:
    CFG = json.load(f)
_out = os.fdopen(os.dup(1), "w")
# What the code prints goes nowhere: it cannot push the report past the output cap or interleave with it.
sys.stdout = open(os.devnull, "w")
ROOT = os.getcwd()
REL_TOL, ABS_TOL = CFG["relTol"], CFG["absTol"]
SHOW = 2000
for extra in CFG.get("extraSitePackages", []):
    sys.path.append(extra)


def emit(obj):
    _out.write(NONCE + json.dumps(obj) + "\n")
    _out.flush()


def finish(status, **kw):
    emit(dict(status=status, **kw))
    sys.exit(0)


def short(text):
    return text if len(text) <= SHOW else text[: SHOW - 1] + "…"


def show(value):
    try:
        return short(repr(value))
    except Exception as e:  # a broken __repr__ must not hide the verdict
        return "<unrepresentable %s: %s>" % (type(value).__name__, e)


try:
    from hypothesis import HealthCheck, Phase, given, reject, settings
    from hypothesis import strategies as st
    from hypothesis.errors import Unsatisfiable
except ImportError as e:
    finish("unavailable", message="Hypothesis is not installed in this Python (%s)" % e)
try:
    import coverage
except ImportError:
    coverage = None

MODULE_FILE = CFG["module"]
MODULE_NAME = MODULE_FILE[: -len(".py")].replace("/", ".")
if MODULE_NAME.endswith(".__init__"):
    MODULE_NAME = MODULE_NAME[: -len(".__init__")]


def load(version):
    """Imports the module from <root>/<version>/, then forgets every module loaded from there, so the other version
    imports its own copies (its helpers, its module-level state) under the same names."""
    base = os.path.join(ROOT, version)
    sys.path.insert(0, base)
    importlib.invalidate_caches()
    try:
        return importlib.import_module(MODULE_NAME)
    finally:
        sys.path.remove(base)
        for name, mod in list(sys.modules.items()):
            where = getattr(mod, "__file__", None) or ""
            if where.startswith(base + os.sep):
                del sys.modules[name]


def resolve(mod, name):
    """(callable taking the argument list, the function object for source and type hints). Class.method: a fresh
    Class() per call, so state kept on the instance never leaks from one example into the next."""
    if "." in name:
        cls_name, meth = name.split(".", 1)
        cls = getattr(mod, cls_name)
        target = getattr(cls, meth)
        return (lambda args: getattr(cls(), meth)(*args)), target, True
    fn = getattr(mod, name)
    if not callable(fn):
        raise TypeError("%s is not callable" % name)
    return (lambda args: fn(*args)), fn, False


versions = {}
for version in ("before", "after"):
    try:
        versions[version] = resolve(load(version), CFG["function"])
    except BaseException as e:  # SystemExit / KeyboardInterrupt raised at import time count as not loading too
        tb = traceback.format_exception_only(type(e), e)
        finish("error", message="The %s version does not load: %s" % (version, short("".join(tb).strip())))
try:
    spec = importlib.util.spec_from_file_location("evolve_input_gen", os.path.join(ROOT, CFG["generator"]))
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    make_input = gen.make_input
except BaseException as e:
    finish("error", message="The input generator does not load: %s" % short("".join(traceback.format_exception_only(type(e), e)).strip()))

call_before, target_before, is_method = versions["before"]
call_after = versions["after"][0]
before_file = os.path.join(ROOT, "before", MODULE_FILE)
cov = None
if coverage is not None:
    cov = coverage.Coverage(data_file=None, branch=True, include=[before_file], config_file=False)


class GeneratorError(Exception):
    pass


class Different(AssertionError):
    pass


def qualname(t):
    return "%s.%s" % (t.__module__, t.__qualname__) if t.__module__ not in ("builtins", MODULE_NAME) else t.__qualname__


class Yielded(list):
    """What an iterator returned by a version yielded (a list of its own type: a list result is not the same)."""

    def __repr__(self):
        return "an iterator yielding " + list.__repr__(self)


def outcome(call, args, measure):
    if measure and cov is not None:
        cov.start()
    try:
        value = call(args)
        if inspect.iscoroutine(value):  # an async def: its result is what the coroutine returns
            value = asyncio.run(value)
        if isinstance(value, collections.abc.Iterator):
            # A generator (or map / filter / zip) is compared by what it yields, consumed here so its body runs now
            # (under coverage for the old version) and so an exception it raises midway counts as raised.
            value = Yielded(value)
        return ("ok", value)
    except Exception as e:
        return ("raise", e)
    finally:
        if measure and cov is not None:
            cov.stop()


def slot_names(t):
    return [n for k in t.__mro__ for n in getattr(k, "__slots__", ()) if n not in ("__dict__", "__weakref__")]


def same_state(a, b, depth):
    """Objects without a usable __eq__: by their attributes (__dict__ or __slots__). One with neither (a C object such
    as a database connection or a lock) shows nothing to compare but its type, so it counts as the same."""
    if hasattr(a, "__dict__") and hasattr(b, "__dict__"):
        return same(vars(a), vars(b), depth + 1)
    names = slot_names(type(a))
    if names:
        missing = object()
        return all(same(getattr(a, n, missing), getattr(b, n, missing), depth + 1) for n in names)
    return True


def same(a, b, depth=0):
    """Equality for comparing the two versions: same type (an int is not a float, a list not a tuple), floats within
    REL_TOL / ABS_TOL (NaN equals NaN), containers element by element, objects without __eq__ by their attributes."""
    if depth > 100:
        return a == b
    if type(a) is not type(b):
        # Two loadings of one user class are distinct classes with the same name: compare them by name and attributes.
        if type(a).__qualname__ != type(b).__qualname__ or type(a).__module__ != type(b).__module__:
            return False
        if isinstance(a, tuple) and isinstance(b, tuple):  # namedtuples
            return same(tuple(a), tuple(b), depth + 1)
        return same_state(a, b, depth)
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y, depth + 1) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k], depth + 1) for k in a)
    if type(a).__eq__ is object.__eq__:
        return a is b or same_state(a, b, depth)
    try:
        eq = a == b
        if hasattr(eq, "all") and not isinstance(eq, bool):  # numpy-like arrays
            eq = bool(eq.all()) and getattr(a, "shape", None) == getattr(b, "shape", None)
        return bool(eq)
    except Exception:
        return False


def describe(result):
    kind, value = result
    if kind == "raise":
        return "raises %s: %s" % (qualname(type(value)), short(str(value)))
    return "returns " + show(value)


def compare(rb, ra, args_b, args_a):
    """None when both calls behaved the same, else (before, after) descriptions of the difference."""
    if rb[0] != ra[0]:
        return describe(rb), describe(ra)
    if rb[0] == "raise":
        if qualname(type(rb[1])) != qualname(type(ra[1])):
            return describe(rb), describe(ra)
    elif not same(rb[1], ra[1]):
        return describe(rb), describe(ra)
    for i, (x, y) in enumerate(zip(args_b, args_a)):
        if not same(x, y):
            return ("argument %d after the call: %s" % (i, show(x)), "argument %d after the call: %s" % (i, show(y)))
    return None


state = {"examples": 0, "last": None}


def check(args, label, remake=None):
    """One example: the old version gets args, the new one a deep copy — or, for what cannot be copied (a database
    connection, a file), a second make_input(n, seed) of the deterministic generator."""
    args_b = args
    try:
        args_a = copy.deepcopy(args)
    except Exception:
        if remake is None:
            raise
        args_a = remake()
    rb = outcome(call_before, args_b, True)
    ra = outcome(call_after, args_a, False)
    state["examples"] += 1
    diff = compare(rb, ra, args_b, args_a)
    if diff is not None:
        # Hypothesis replays the shrunk example last, so the last difference recorded is the minimal one.
        state["last"] = {"input": short(label), "before": short(diff[0]), "after": short(diff[1])}
        raise Different(diff)


SETTINGS = settings(
    max_examples=CFG["maxExamples"],
    deadline=None,
    database=None,  # HOME is the run's temp dir: nothing would persist anyway
    derandomize=True,  # the same request gives the same verdict
    suppress_health_check=list(HealthCheck),
    # No explain phase: it traces execution, which would fight coverage.py's tracer.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
)


@SETTINGS
@given(n=st.integers(0, CFG["nMax"]), seed=st.integers(0, 2**32 - 1))
def from_generator(n, seed):
    try:
        args = make_input(n, seed)
    except Exception:
        reject()  # the generator does not take this size: not an example
    if isinstance(args, list):
        args = tuple(args)
    if not isinstance(args, tuple):
        raise GeneratorError("make_input(n, seed) must return a tuple of arguments, got %s" % type(args).__name__)
    check(args, "make_input(n=%d, seed=%d) = %s" % (n, seed, show(args)), lambda: tuple(make_input(n, seed)))


def hint_strategy():
    """A strategy for the whole argument list from the old function's type hints, or (None, why not)."""
    try:
        sig = inspect.signature(target_before)
        hints = typing.get_type_hints(target_before)
    except Exception as e:
        return None, "type hints unreadable (%s)" % e
    params = list(sig.parameters.values())[1 if is_method else 0 :]
    if not params:
        return None, "no parameters"
    parts = []
    for p in params:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD, p.KEYWORD_ONLY):
            return None, "*args / keyword-only parameters"
        if p.name not in hints:
            return None, "parameter %s has no type hint" % p.name
        try:
            strat = st.from_type(hints[p.name])
            strat.validate()  # from_type resolves lazily; this raises for a type it cannot build
        except Exception as e:
            return None, "no strategy for %s (%s)" % (p.name, e)
        parts.append(strat)
    return st.tuples(*parts), None


def run_property(prop):
    """None when the property held, else the final result to emit."""
    try:
        prop()
        return None
    except Different:
        return {"status": "different", "counterexample": state["last"]}
    except GeneratorError as e:
        return {"status": "error", "message": str(e)}
    except Unsatisfiable:
        return {"status": "error", "message": "make_input raised for every (n, seed) tried: no example could be built"}
    except Exception as e:
        if state["last"] is not None:  # e.g. a FlakyFailure: the difference did not replay (non-deterministic code)
            return {"status": "different", "counterexample": state["last"],
                    "message": "the difference did not reproduce on replay (non-deterministic code?)"}
        return {"status": "error", "message": "The property run failed: " + short("".join(traceback.format_exception_only(type(e), e)).strip())}


def function_range():
    """First and last line of the old function's body (its def and decorator lines run at import, not per call)."""
    with open(before_file, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    parts = CFG["function"].split(".")
    scope = tree.body
    for i, part in enumerate(parts):
        kinds = (ast.FunctionDef, ast.AsyncFunctionDef) if i == len(parts) - 1 else (ast.ClassDef,)
        node = next((n for n in scope if isinstance(n, kinds) and n.name == part), None)
        if node is None:
            return None
        scope = node.body
    return [node.body[0].lineno, node.end_lineno]


def coverage_report():
    if cov is None:
        return None, "coverage.py is not installed in this Python"
    rng = function_range()
    if rng is None:
        return None, "the old function is not a top-level def or a method of a top-level class: no coverage"
    report = os.path.join(ROOT, ".evolve-eq", "coverage.json")
    try:
        cov.json_report(morfs=[before_file], outfile=report)
        with open(report, encoding="utf-8") as f:
            files = json.load(f)["files"]
        data = next(iter(files.values()))
    except coverage.exceptions.NoDataError:
        data = {}
    return {
        "range": rng,
        "executedLines": data.get("executed_lines", []),
        "missingLines": data.get("missing_lines", []),
        "executedBranches": data.get("executed_branches", []),
        "missingBranches": data.get("missing_branches", []),
    }, None


result = run_property(from_generator)
notes = []
if result is None and not CFG["typeHints"]:
    notes.append("type-hint inputs off (request)")
elif result is None:
    strategy, why_not = hint_strategy()
    if strategy is None:
        notes.append("type-hint inputs not used: " + why_not)
    else:
        @SETTINGS
        @given(args=strategy)
        def from_hints(args):
            check(args, "from type hints: %s" % show(args))

        result = run_property(from_hints)
        notes.append("type-hint inputs used")
result = result or {"status": "equivalent"}
cov_data, cov_why = coverage_report()
if cov_why:
    notes.append(cov_why)
if notes:
    result["message"] = "; ".join(([result["message"]] if result.get("message") else []) + notes)
finish(result.pop("status"), examples=state["examples"], coverage=cov_data, **result)
`;

/** Files of the run that are not the code (the driver, its config and the generator). */
export function pythonDriverFiles(config: PythonDriverConfig, generatorSource: string): Record<string, string> {
  return {
    [PY_EQ_DRIVER_PATH]: DRIVER,
    [PY_EQ_CONFIG_PATH]: JSON.stringify(config),
    [PY_EQ_GENERATOR_PATH]: generatorSource,
  };
}

export interface PythonDriverConfig {
  /** The module's path inside each version, e.g. 'pkg/dedupe.py'. */
  module: string;
  function: string;
  generator: string;
  nMax: number;
  maxExamples: number;
  /** Also draw arguments from the old function's type hints. */
  typeHints: boolean;
  relTol: number;
  absTol: number;
  /** A project's site-packages added after the tools venv's own (same Python minor version only). */
  extraSitePackages: string[];
}

/** The nonce is not in argv: it goes on stdin (see the driver). */
export function pythonDriverArgv(runner: PythonRunner): string[] {
  return [runner.python, PY_EQ_DRIVER_PATH, PY_EQ_CONFIG_PATH];
}

export const PYTHON_DRIVER_ENV = { PYTHONDONTWRITEBYTECODE: '1', PYTHONHASHSEED: '0', PYTHONNOUSERSITE: '1' } as const;
