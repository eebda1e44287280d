# Test harness: a real local Ray cluster (head + worker nodes, each its own raylet and process group) on loopback.
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


GCS_PORT = env_int("EVOLVE_RAY_PORT", 6379)
DASHBOARD_PORT = env_int("EVOLVE_RAY_DASHBOARD_PORT", 8265)
CPUS = env_int("EVOLVE_RAY_NUM_CPUS", 1)
OBJECT_STORE = env_int("EVOLVE_RAY_OBJECT_STORE_BYTES", 200_000_000)
# Short on purpose: Ray puts unix sockets under it and those paths are limited to ~107 bytes.
TMP_ROOT = os.environ.get("EVOLVE_RAY_TMP", f"/tmp/evray-{GCS_PORT}")
RAY_BIN = os.environ.get("EVOLVE_RAY_BIN", os.path.join(ROOT, ".venv", "bin", "ray"))
STATE_FILE = os.path.join(TMP_ROOT, "cluster.json")
# Each node gets its own loopback IP. Ray rewrites 127.0.0.1/localhost to the machine's external
# address, which would send cluster traffic off loopback; 127.0.0.2+ are loopback and kept as given.
HEAD_IP = "127.0.0.2"


def node_ip(index: int) -> str:
    return f"127.0.0.{2 + index}"


def dashboard_url() -> str:
    return f"http://127.0.0.1:{DASHBOARD_PORT}"


def ray_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"RAY_DEDUP_LOGS": "0", "RAY_USAGE_STATS_ENABLED": "0",
                # Node death is noticed within ~3 s instead of the default ~15 s (kill-and-resume tests).
                "RAY_health_check_period_ms": "1000", "RAY_health_check_failure_threshold": "3"})
    venv_bin = os.path.dirname(RAY_BIN)
    env["PATH"] = venv_bin + os.pathsep + env.get("PATH", "")
    return env


def load_state() -> dict:
    try:
        with open(STATE_FILE, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        return {"nodes": {}}


def save_state(state: dict) -> None:
    os.makedirs(TMP_ROOT, exist_ok=True)
    tmp = STATE_FILE + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(state, fh, indent=2)
    os.replace(tmp, STATE_FILE)


def pgid_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def start_node(index: int) -> int:
    """Starts node `index` (0 = head) in a new session, so the node's raylet, agents, workers and the
    training processes they spawn share one process group that can be killed as a unit."""
    common = [f"--num-cpus={CPUS}", f"--object-store-memory={OBJECT_STORE}", "--disable-usage-stats",
              f"--node-ip-address={node_ip(index)}", f"--temp-dir={TMP_ROOT}/n{index}",
              f"--resources={json.dumps({f'evolve_node_{index}': 1})}"]
    # Fixed, distinct ports per node (GCS port + 10*index + k): Ray's defaults (e.g. the agent's 52365, the
    # client server's 10001) would collide between nodes, and between two clusters on one machine.
    base = GCS_PORT + 10 * index
    common += [f"--node-manager-port={base + 1}", f"--object-manager-port={base + 2}",
               f"--dashboard-agent-listen-port={base + 3}", f"--dashboard-agent-grpc-port={base + 4}",
               f"--runtime-env-agent-port={base + 5}", f"--metrics-export-port={base + 6}",
               f"--min-worker-port={GCS_PORT + 100 * (index + 1)}",
               f"--max-worker-port={GCS_PORT + 100 * (index + 1) + 99}"]
    if index == 0:
        args = [RAY_BIN, "start", "--head", f"--port={GCS_PORT}", "--include-dashboard=true",
                "--dashboard-host=127.0.0.1", f"--dashboard-port={DASHBOARD_PORT}",
                f"--ray-client-server-port={base + 7}", *common]
    else:
        args = [RAY_BIN, "start", f"--address={HEAD_IP}:{GCS_PORT}", *common]
    os.makedirs(TMP_ROOT, exist_ok=True)
    log_path = os.path.join(TMP_ROOT, f"start-n{index}.log")
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=ray_env(), start_new_session=True)
        rc = proc.wait(timeout=120)
    if rc != 0:
        with open(log_path, encoding="utf-8") as fh:
            sys.stderr.write(fh.read()[-4000:])
        raise SystemExit(f"ray start for node {index} failed (exit {rc}); log: {log_path}")
    state = load_state()
    state["nodes"][str(index)] = {"pgid": proc.pid, "ip": node_ip(index)}
    state.update({"gcs": f"{HEAD_IP}:{GCS_PORT}", "dashboard": dashboard_url(), "tmp": TMP_ROOT})
    save_state(state)
    return proc.pid


def http_json(path: str, timeout: float = 5.0):
    with urllib.request.urlopen(dashboard_url() + path, timeout=timeout) as resp:
        return json.loads(resp.read().decode())


def alive_nodes() -> list[dict]:
    data = http_json("/api/v0/nodes?limit=100")
    return [n for n in data["data"]["result"]["result"] if n.get("state") == "ALIVE"]


def wait_nodes(count: int, timeout: float) -> list[dict]:
    deadline = time.monotonic() + timeout
    last_err = None
    while time.monotonic() < deadline:
        try:
            nodes = alive_nodes()
            if len(nodes) == count:
                return nodes
            last_err = f"{len(nodes)} alive nodes"
        except Exception as exc:  # noqa: BLE001 - the dashboard is still starting
            last_err = repr(exc)
        time.sleep(1.0)
    raise SystemExit(f"cluster did not reach {count} alive nodes within {timeout}s ({last_err})")


def stop_all() -> None:
    state = load_state()
    pgids = {int(n["pgid"]) for n in state["nodes"].values()}
    # Also catch processes of this cluster whose node entry was lost (matched by our own temp dir only).
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as fh:
                    if f"{TMP_ROOT}/n".encode() in fh.read():
                        pgids.add(os.getpgid(int(pid)))
            except (OSError, ProcessLookupError):
                continue
    pgids.discard(os.getpgid(0))  # never our own group
    for sig, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        for pgid in pgids:
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(pgid_alive(p) for p in pgids):
            time.sleep(0.2)
    state["nodes"] = {}
    save_state(state)


def main() -> int:
    ap = argparse.ArgumentParser(description="local Ray cluster for Evolve Studio tests")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sp = sub.add_parser("start", help="start a head plus N worker nodes and wait until all are ALIVE")
    sp.add_argument("--workers", type=int, default=1)
    sp.add_argument("--timeout", type=float, default=120)
    aw = sub.add_parser("add-worker", help="(re)start worker node INDEX and wait for it")
    aw.add_argument("index", type=int)
    aw.add_argument("--timeout", type=float, default=90)
    kw = sub.add_parser("kill-worker", help="SIGKILL worker node INDEX's whole process group (node failure)")
    kw.add_argument("index", type=int)
    sub.add_parser("status", help="print the cluster state and alive nodes as JSON")
    sub.add_parser("env", help="print shell exports for RAY_ADDRESS")
    sub.add_parser("stop", help="stop every node of this cluster")
    args = ap.parse_args()

    if args.cmd == "start":
        if any(pgid_alive(int(n["pgid"])) for n in load_state()["nodes"].values()):
            raise SystemExit(f"a cluster from {TMP_ROOT} is already running; run `stop` first")
        try:
            start_node(0)
            for i in range(1, args.workers + 1):
                start_node(i)
            wait_nodes(args.workers + 1, args.timeout)
        except BaseException:
            stop_all()  # never leave half a cluster behind
            raise
        print(json.dumps({"dashboard": dashboard_url(), "gcs": f"{HEAD_IP}:{GCS_PORT}",
                          "nodes": args.workers + 1}))
    elif args.cmd == "add-worker":
        expected = len([n for n in load_state()["nodes"].values() if pgid_alive(int(n["pgid"]))])
        start_node(args.index)
        wait_nodes(expected + 1, args.timeout)
    elif args.cmd == "kill-worker":
        node = load_state()["nodes"].get(str(args.index))
        if args.index == 0 or node is None:
            raise SystemExit(f"no worker node {args.index} recorded")
        os.killpg(int(node["pgid"]), signal.SIGKILL)
        print(json.dumps({"killed": args.index, "pgid": node["pgid"]}))
    elif args.cmd == "status":
        state = load_state()
        try:
            state["alive"] = [{"ip": n["node_ip"], "id": n["node_id"], "head": n.get("is_head_node")}
                              for n in alive_nodes()]
        except Exception as exc:  # noqa: BLE001
            state["alive_error"] = repr(exc)
        print(json.dumps(state, indent=2))
    elif args.cmd == "env":
        print(f"export RAY_ADDRESS={dashboard_url()}")
    elif args.cmd == "stop":
        stop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
