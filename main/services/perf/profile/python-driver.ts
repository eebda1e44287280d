// The Python side of a profiling run: one driver, three modes in three fresh processes — pyinstrument sampling (the
// flame graph), cProfile (exact call counts), tracemalloc (memory) — each printing one JSON line behind a nonce.
import { DRIVER_DIR } from './paths';

export const PY_DRIVER_PATH = `${DRIVER_DIR}/profile_driver.py`;
export const PY_SPEC_PATH = `${DRIVER_DIR}/spec.json`;
/** Where a function target's input generator is written (the run's root, so it can import the user's modules). */
export const PY_INPUT_PATH = '__evolve_input__.py';

// Python 3.8+. The target is prepared (imports, inputs built) before any profiler starts, so neither import time nor
// input generation is counted; a script's or test's imports are part of what it does and are counted.
export const PY_DRIVER = String.raw`# Profiles one target (function, script or pytest test) in one mode and prints the result as a JSON line.
import json
import os
import sys
import traceback

NONCE = sys.argv[1]
MODE = sys.argv[2]
ROOT = os.getcwd()
_out = os.fdopen(os.dup(1), "w")  # the target may print or pytest may capture fd 1; this copy stays ours
with open(os.path.join(ROOT, ".evolve-perf", "spec.json")) as f:
    SPEC = json.load(f)


def emit(obj):
    _out.write(NONCE + json.dumps(obj) + "\n")
    _out.flush()


def fail(kind, message):
    emit({"event": "error", "kind": kind, "message": message[-6000:]})
    _out.close()
    os._exit(3)


def tb():
    return "".join(traceback.format_exception(*sys.exc_info()))


def prepare():
    kind = SPEC["kind"]
    if kind == "function":
        sys.path.insert(0, ROOT)
        import importlib
        import importlib.util
        try:
            spec = importlib.util.spec_from_file_location("__evolve_input__", os.path.join(ROOT, "__evolve_input__.py"))
            gen = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(gen)
            make_input = gen.make_input
        except BaseException:
            fail("load-input", tb())
        module = SPEC["module"][:-3] if SPEC["module"].endswith(".py") else SPEC["module"]
        module = module[:-9] if module.endswith("/__init__") else module
        try:
            mod = importlib.import_module(module.replace("/", "."))
        except BaseException:
            fail("load-module", tb())
        parts = SPEC["function"].split(".")
        owner = mod
        if len(parts) == 2:
            cls = getattr(mod, parts[0], None)
            if cls is None:
                fail("unknown-function", "module %s has no class %s" % (SPEC["module"], parts[0]))
            try:
                owner = cls()
            except BaseException:
                fail("run-error", tb())
        fn = getattr(owner, parts[-1], None)
        if not callable(fn):
            fail("unknown-function", "%s has no function %s" % (SPEC["module"], SPEC["function"]))
        try:
            inputs = [tuple(make_input(SPEC["n"], SPEC["seed"] + i)) for i in range(SPEC["calls"])]
        except BaseException:
            fail("bad-input", tb())

        def run(start, stop):
            start()
            try:
                for args in inputs:
                    fn(*args)
            finally:
                stop()
        return run
    if kind == "script":
        import runpy
        path = os.path.join(ROOT, SPEC["path"])

        def run(start, stop):
            sys.argv = [path] + SPEC["args"]
            sys.path.insert(0, os.path.dirname(path))
            start()
            try:
                runpy.run_path(path, run_name="__main__")
            except SystemExit as e:
                if e.code not in (None, 0):
                    fail("exit", "the script exited with %r" % (e.code,))
            finally:
                stop()
        return run
    if kind == "test":
        sys.path.insert(0, ROOT)
        try:
            import pytest
        except ImportError as e:
            fail("missing-tool", "pytest cannot be imported: %s" % e)

        class Window:
            """Profiles each test's setup, call and teardown, not pytest's start-up, plugins and collection."""

            def __init__(self, start, stop):
                self.start, self.stop = start, stop

            @pytest.hookimpl(hookwrapper=True)
            def pytest_runtest_protocol(self, item, nextitem):
                self.start()
                try:
                    yield
                finally:
                    self.stop()

        def run(start, stop):
            args = ["-q", "-p", "no:cacheprovider", "--color=no", "--tb=short", SPEC["test"]]
            code = int(pytest.main(args, plugins=[Window(start, stop)]))
            if code not in (0, 1):  # 1: tests failed, which still ran and were profiled
                fail("test-error", "pytest exited with %d (no such test, or it could not be collected)" % code)
        return run
    fail("bad-spec", "unknown target kind %r" % (kind,))


def guarded(run, start, stop):
    try:
        run(start, stop)
    except SystemExit:
        raise
    except BaseException:
        fail("run-error", tb())


def sample(run):
    try:
        from pyinstrument import Profiler
        from pyinstrument.renderers import JSONRenderer
    except ImportError as e:
        fail("missing-tool", "pyinstrument cannot be imported: %s" % e)
    p = Profiler(interval=0.001)
    guarded(run, p.start, p.stop)  # sessions of several windows (one per test) are combined by pyinstrument
    # The rendered document goes out as it is: json.loads would hit the recursion limit on a deep (recursive) tree.
    doc = '{"duration": 0, "root_frame": null}'
    if p.last_session is not None:
        doc = JSONRenderer(show_all=True).render(p.last_session).strip()
    _out.write(NONCE + '{"event": "pyinstrument", "root": ' + json.dumps(ROOT) + ', "data": ' + doc + "}\n")
    _out.flush()


def count(run):
    import cProfile
    import pstats
    pr = cProfile.Profile()
    guarded(run, pr.enable, pr.disable)
    rows = [
        {"file": k[0], "line": k[1], "name": k[2], "cc": v[0], "nc": v[1], "tt": v[2], "ct": v[3]}
        for k, v in pstats.Stats(pr).stats.items()
    ]
    emit({"event": "cprofile", "root": ROOT, "rows": rows})


def memory(run):
    import threading
    import tracemalloc
    # The exact peak comes from tracemalloc; the sites at the peak from the largest snapshot a poller saw (every
    # ~5 ms, a new one each time traced memory grew by 10 %), so short spikes between polls are missed for sites.
    best = {"size": -1, "snap": None}
    stop = threading.Event()

    def poll():
        while not stop.wait(0.005):
            cur = tracemalloc.get_traced_memory()[0]
            if cur > best["size"] * 1.1:
                best["size"], best["snap"] = cur, tracemalloc.take_snapshot()

    poller = threading.Thread(target=poll, daemon=True)

    def start():  # traces from the first window to the end (a test run's peak spans its tests)
        if not tracemalloc.is_tracing():
            tracemalloc.start(1)
            poller.start()

    guarded(run, start, lambda: None)
    cur, peak = tracemalloc.get_traced_memory() if tracemalloc.is_tracing() else (0, 0)
    if tracemalloc.is_tracing() and cur >= best["size"]:
        best["size"], best["snap"] = cur, tracemalloc.take_snapshot()
    stop.set()
    if poller.is_alive():
        poller.join()
    tracemalloc.stop()
    top = []
    if best["snap"] is not None:
        snap = best["snap"].filter_traces([
            tracemalloc.Filter(False, tracemalloc.__file__),
            tracemalloc.Filter(False, os.path.join(ROOT, ".evolve-perf", "*")),
            tracemalloc.Filter(False, threading.__file__),
            tracemalloc.Filter(False, "*/_weakrefset.py"),  # the poller thread's own bookkeeping
        ])
        for st in snap.statistics("lineno")[:15]:
            fr = st.traceback[0]
            top.append({"file": fr.filename, "line": fr.lineno, "bytes": st.size})
    emit({"event": "memory", "root": ROOT, "peak": peak, "top": top})


RUN = prepare()
emit({"event": "ready", "python": sys.version.split()[0]})
{"sample": sample, "count": count, "memory": memory}[MODE](RUN)
emit({"event": "done"})
_out.close()
os._exit(0)  # skip interpreter teardown (atexit hooks of the target, threads): the result is out
`;
