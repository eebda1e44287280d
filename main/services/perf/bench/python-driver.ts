// The Python side of one benchmark repeat: a script run in a fresh sandboxed process that builds one fresh input,
// warms up and calibrates the calls per batch, then times batches with pyperf's Runner in worker mode.

/** Where the driver and the input generator are written inside the run's temp dir (next to the code's files). */
export const PY_DRIVER_PATH = '.evolve-bench/driver.py';
export const PY_INPUT_PATH = '.evolve-bench/make_input.py';

/**
 * The driver reads its config as JSON on stdin and writes one result line (prefixed by a per-run nonce) to the real
 * stdout; the user's own prints go to /dev/null so they can neither fill the output cap nor forge a result.
 *
 * How pyperf is used: pyperf's manager would spawn its own worker processes, which we do not want (this harness
 * spawns one fresh sandboxed process per repeat itself, interleaving before and after). So the driver calibrates the
 * loop count the way pyperf does (double until one batch lasts `batch_sec`; these calls are also the warm-up), then
 * runs `pyperf.Runner.bench_time_func` in worker mode (`--worker --loops N --warmups W --values V`), which times
 * W + V batches with the chosen clock (pyperf.perf_counter for wall time, time.process_time for CPU time) and returns a pyperf Benchmark; its median seconds per call is the repeat's figure.
 */
export const PY_DRIVER = String.raw`import importlib, importlib.util, json, os, sys, time, traceback

cfg = json.loads(sys.stdin.read())
real_out = os.dup(1)


def emit(obj):
    os.write(real_out, (cfg["nonce"] + json.dumps(obj) + "\n").encode())


def fail(phase, exc):
    summary = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    emit({"ok": False, "phase": phase, "error": summary[-2000:], "trace": traceback.format_exc()[-4000:]})
    sys.exit(0)


devnull = os.open(os.devnull, os.O_WRONLY)
os.dup2(devnull, 1)
sys.stdout = open(os.devnull, "w")
sys.path.insert(0, os.getcwd())

try:
    import pyperf
except BaseException as e:
    fail("setup", e)

try:
    # The worker's metadata (platform, CPU model...) is thrown away here and costs two subprocesses per repeat.
    import pyperf._collect_metadata as _meta
    _meta.collect_metadata = lambda *a, **k: {}
except Exception:
    pass

try:
    spec = importlib.util.spec_from_file_location("_evolve_bench_input", cfg["generator"])
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    args = gen.make_input(cfg["n"], cfg["seed"])
    if not isinstance(args, (tuple, list)):
        raise TypeError("make_input(n, seed) must return a tuple of positional arguments, got " + type(args).__name__)
    args = tuple(args)
except BaseException as e:
    fail("input", e)

try:
    mod = importlib.import_module(cfg["module"])
    name = cfg["function"]
    if "." in name:
        cls_name, meth = name.split(".", 1)
        fn = getattr(getattr(mod, cls_name)(), meth)
    else:
        fn = getattr(mod, name)
    if not callable(fn):
        raise TypeError(name + " is not callable")
except BaseException as e:
    fail("import", e)

# CPU time of this process (user + system) is immune to other processes taking the cores; wall time sees waits.
clock = time.process_time if cfg["clock"] == "cpu" else pyperf.perf_counter
batch_sec = cfg["batchSec"]
loops = 1
try:
    while True:
        t0 = clock()
        for _ in range(loops):
            fn(*args)
        dt = clock() - t0
        if dt >= batch_sec or loops >= 1 << 30:
            break
        # pyperf doubles; jumping towards the estimate saves most of the calibration time on fast functions (a batch
        # the clock did not see at all only doubles).
        loops = loops * 2 if dt <= 0 else max(loops * 2, min(loops * 64, int(loops * batch_sec * 1.2 / dt)))
except BaseException as e:
    fail("call", e)


class ClockStalled(Exception):
    pass


def time_batch(n_loops):
    # A VM under heavy load can leave the process CPU clock unchanged over a short batch (its accounting catches up
    # later in one jump). A zero is not a time: run the batch again, and give up with a clear error after 5 tries.
    for _ in range(5):
        t0 = clock()
        for _ in range(n_loops):
            fn(*args)
        dt = clock() - t0
        if dt > 0:
            return dt
    raise ClockStalled("the %s clock did not advance over %d calls" % (cfg["clock"], n_loops))


try:
    runner = pyperf.Runner()
    runner.parse_args(["--worker", "--quiet", "--loops", str(loops), "--warmups", str(cfg["warmups"]),
                       "--values", str(cfg["values"]), "--min-time", str(batch_sec)])
    bench = runner.bench_time_func(cfg["function"], time_batch)
except ClockStalled as e:
    fail("clock", e)
except BaseException as e:
    fail("call", e)

emit({"ok": True, "secPerCall": bench.median(), "values": list(bench.get_values()), "loops": loops,
      "clock": cfg["clock"], "tool": "pyperf " + pyperf.__version__})
`;

/** 'pkg/mod.py' → 'pkg.mod' (the driver imports it with the run's root first on sys.path). */
export function pythonModuleName(modulePath: string): string | undefined {
  if (!modulePath.endsWith('.py')) return undefined;
  const parts = modulePath.slice(0, -3).split('/');
  if (parts[parts.length - 1] === '__init__') parts.pop();
  return parts.length > 0 && parts.every((p) => /^[A-Za-z_]\w*$/.test(p)) ? parts.join('.') : undefined;
}
