#!/usr/bin/env python3
# `ray job submit` entrypoint: one torchrun per Ray node (placement group spread), streaming rank 0's metric lines.
from __future__ import annotations

import argparse
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import ray  # noqa: E402
from ray.exceptions import GetTimeoutError, RayActorError  # noqa: E402
from ray.util.placement_group import placement_group, remove_placement_group  # noqa: E402
from ray.util.scheduling_strategies import PlacementGroupSchedulingStrategy  # noqa: E402

from evolve_training.config import ConfigError, TrainingConfig  # noqa: E402


def event(name: str, **fields) -> None:
    line = json.dumps({"evolve_event": name, **fields, "ts": round(time.time(), 3)}, separators=(",", ":"))
    print(line, flush=True)


def _die_with_parent() -> None:
    # Linux prctl(PR_SET_PDEATHSIG, SIGKILL): torchrun dies when the actor process dies (node lost, job stopped).
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)


@ray.remote(max_restarts=0)
class NodeWorker:
    """Runs one torchrun (with nproc_per_node trainers) on the node its bundle was placed on."""

    def __init__(self):
        self.proc = None
        self.lines: deque[str] = deque()
        self.lock = threading.Lock()

    def info(self) -> dict:
        ip = ray.util.get_node_ip_address()
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((ip, 0))
            port = sock.getsockname()[1]
        return {"ip": ip, "port": port, "node_id": ray.get_runtime_context().get_node_id(), "cwd": os.getcwd()}

    def start(self, torchrun_args: list[str], train_args: list[str], env_extra: dict[str, str],
              fallback_dir: str) -> int:
        # The job's working_dir is unpacked per node and is this actor's cwd; else use the driver's copy.
        script = os.path.abspath("train.py") if os.path.isfile("train.py") else os.path.join(fallback_dir, "train.py")
        env = dict(os.environ, PYTHONUNBUFFERED="1", EVOLVE_PDEATHSIG="1", **env_extra)
        argv = [sys.executable, "-m", "torch.distributed.run", *torchrun_args, script, *train_args]
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                                     cwd=os.path.dirname(script), preexec_fn=_die_with_parent)
        threading.Thread(target=self._pump, daemon=True).start()
        return self.proc.pid

    def _pump(self) -> None:
        for line in self.proc.stdout:
            with self.lock:
                self.lines.append(line.rstrip("\n"))

    def poll(self) -> tuple[list[str], int | None]:
        rc = self.proc.poll()
        if rc is not None:
            time.sleep(0.2)  # let the pump thread read the last lines after exit
        with self.lock:
            out = list(self.lines)
            self.lines.clear()
        return out, rc

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # torchrun forwards SIGTERM to its trainers
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def parse_args(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="launch evolve_training across Ray nodes")
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--config", help="TrainingConfig JSON file (path inside the working dir or absolute)")
    src.add_argument("--config-json", help="TrainingConfig as a JSON string")
    ap.add_argument("--num-nodes", type=int, default=2, help="Ray nodes to use; one torchrun per node")
    ap.add_argument("--nproc-per-node", type=int, default=1, help="trainer processes per node")
    ap.add_argument("--cpus-per-node", type=float, default=1, help="CPUs reserved per node bundle")
    ap.add_argument("--gpus-per-node", type=float, default=0, help="GPUs reserved per node bundle")
    ap.add_argument("--resume-from", help="'auto' = latest checkpoint in checkpoint_dir, or a path")
    ap.add_argument("--checkpoint-dir", help="overrides checkpoint_dir (must be shared by all nodes)")
    ap.add_argument("--placement-timeout", type=float, default=120, help="seconds to wait for the nodes")
    ap.add_argument("--stall-timeout", type=float, default=60,
                    help="fail when a node stops answering for this long")
    return ap.parse_args(argv)


def build_config(args: argparse.Namespace) -> TrainingConfig:
    if args.config:
        with open(args.config, encoding="utf-8") as fh:
            data = json.load(fh)
    else:
        data = json.loads(args.config_json)
    if args.resume_from is not None:
        data["resume_from"] = args.resume_from
    if args.checkpoint_dir is not None:
        data["checkpoint_dir"] = args.checkpoint_dir
    return TrainingConfig.from_dict(data)


def run(args: argparse.Namespace) -> int:
    try:
        cfg = build_config(args)
    except (ConfigError, OSError, json.JSONDecodeError) as exc:
        event("error", kind="config", message=str(exc))
        return 2
    ray.init(address=os.environ.get("RAY_ADDRESS", "auto"), log_to_driver=False)
    # One bundle per node, never two on the same node: this is what makes the job multi-node.
    bundle = {"CPU": args.cpus_per_node, **({"GPU": args.gpus_per_node} if args.gpus_per_node else {})}
    pg = placement_group([dict(bundle) for _ in range(args.num_nodes)], strategy="STRICT_SPREAD")
    workers: list = []
    try:
        try:
            ray.get(pg.ready(), timeout=args.placement_timeout)
        except GetTimeoutError:
            event("error", kind="placement",
                  message=f"{args.num_nodes} nodes with {bundle} each were not available within "
                          f"{args.placement_timeout}s")
            return 1
        workers = [NodeWorker.options(num_cpus=0, scheduling_strategy=PlacementGroupSchedulingStrategy(
            placement_group=pg, placement_group_bundle_index=i)).remote() for i in range(args.num_nodes)]
        infos = ray.get([w.info.remote() for w in workers], timeout=args.placement_timeout)
        master_ip, master_port = infos[0]["ip"], infos[0]["port"]
        env_extra = {}
        if master_ip.startswith("127."):
            env_extra["GLOO_SOCKET_IFNAME"] = "lo"  # single-machine test clusters: keep gloo on loopback
        event("launch", nodes=[i["ip"] for i in infos], node_ids=[i["node_id"] for i in infos],
              world_size=args.num_nodes * args.nproc_per_node, master=f"{master_ip}:{master_port}",
              strategy=cfg.strategy, resume_from=cfg.resume_from)
        train_args = ["--config-json", cfg.to_json()]
        for rank, worker in enumerate(workers):
            torchrun = [f"--nnodes={args.num_nodes}", f"--node-rank={rank}", f"--nproc-per-node={args.nproc_per_node}",
                        f"--master-addr={master_ip}", f"--master-port={master_port}", "--max-restarts=0"]
            ray.get(worker.start.remote(torchrun, train_args, env_extra, HERE), timeout=60)
        return supervise(workers, args.stall_timeout)
    finally:
        for worker in workers:
            try:
                ray.get(worker.stop.remote(), timeout=15)
            except Exception:  # noqa: BLE001 - the node may be gone; its processes died with it
                pass
            ray.kill(worker)
        remove_placement_group(pg)


def poll_all(workers: list, alive: list[bool], answered: list[float], pending: dict, timeout: float) -> list:
    """Polls every live node separately, so one lost or slow node does not hide the others' lines."""
    for n, w in enumerate(workers):
        if alive[n] and n not in pending:
            pending[n] = w.poll.remote()
    results = {}
    for node, ref in list(pending.items()):
        try:
            results[node] = ray.get(ref, timeout=timeout)
            answered[node] = time.monotonic()
            del pending[node]
        except RayActorError:
            alive[node] = False
            del pending[node]
        except GetTimeoutError:
            pass  # slow: the same call is awaited next round (its lines are not lost); stall timeout decides
    return [results.get(n) for n in range(len(workers))]


def relay(results: list) -> None:
    for node, result in enumerate(results):
        for line in (result[0] if result else []):
            # Rank 0 (node 0) lines go out untouched so the app parses them; others are labelled.
            print(line if node == 0 else f"[node {node}] {line}", flush=True)


def supervise(workers: list, stall_timeout: float) -> int:
    """Relays output until every node's torchrun exits 0; any failure or lost node fails the job."""
    alive = [True] * len(workers)
    answered = [time.monotonic()] * len(workers)
    pending: dict = {}
    done: dict[int, int] = {}
    while True:
        results = poll_all(workers, alive, answered, pending, timeout=10)
        relay(results)
        stalled = [n for n, t in enumerate(answered) if alive[n] and time.monotonic() - t > stall_timeout]
        if stalled:
            event("failed", reason=f"node(s) {stalled} did not answer for {stall_timeout}s")
            return 1
        for node, result in enumerate(results):
            if result and result[1] is not None:
                done[node] = result[1]
        failed = {n: rc for n, rc in done.items() if rc != 0}
        if not all(alive) or failed:
            # Give the surviving trainers a moment to notice and flush, then pass their last lines on.
            time.sleep(1.0)
            relay(poll_all(workers, alive, answered, pending, timeout=5))
            lost = [n for n, a in enumerate(alive) if not a]
            event("failed", reason="node lost" if lost else "trainer exited with an error", lost_nodes=lost,
                  exit_codes=failed)
            return 1
        if len(done) == len(workers):
            event("launcher_done", nodes=len(workers))
            return 0
        time.sleep(0.5)


if __name__ == "__main__":
    sys.exit(run(parse_args()))
