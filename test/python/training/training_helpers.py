# Helpers for the trainer tests: run train.py for real (alone, as N ranks, or in-process) and parse its lines.
from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
from dataclasses import dataclass

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TRAINING_DIR = os.path.join(ROOT, "resources", "training")
TRAIN_PY = os.path.join(TRAINING_DIR, "train.py")
sys.path.insert(0, TRAINING_DIR)

from evolve_training.metrics import parse_lines  # noqa: E402


@dataclass
class RunResult:
    rc: int
    out: str
    metrics: list
    events: list

    def losses(self) -> dict[int, float]:
        return {m["step"]: m["loss"] for m in self.metrics}

    def events_named(self, name: str) -> list:
        return [e for e in self.events if e["evolve_event"] == name]


def train_env() -> dict[str, str]:
    # Loopback only, one thread per rank (2 cores), unbuffered so a killer sees lines as they happen.
    return dict(os.environ, GLOO_SOCKET_IFNAME="lo", OMP_NUM_THREADS="1", PYTHONUNBUFFERED="1")


def train_argv(cfg: dict, extra: tuple = ()) -> list[str]:
    return [sys.executable, TRAIN_PY, "--config-json", json.dumps(cfg), *extra]


def run_train(cfg: dict, nproc: int = 1, extra: tuple = (), timeout: float = 120) -> RunResult:
    """Starts `nproc` real train.py processes wired like torchrun does (env:// rendezvous on loopback).

    torchrun itself is exercised by the cluster tests; here its agent process would only add start-up time.
    """
    cfg = {"device": "cpu", **cfg}  # these are the CPU/gloo tests, even on a machine with a GPU
    port = free_port()
    procs = []
    for rank in range(nproc):
        env = train_env()
        if nproc > 1:
            env.update(RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE=str(nproc), LOCAL_WORLD_SIZE=str(nproc),
                       MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
        procs.append(subprocess.Popen(train_argv(cfg, extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True, env=env, cwd=TRAINING_DIR))
    outs = []
    try:
        for proc in procs:
            outs.append(proc.communicate(timeout=timeout))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    rc = max((p.returncode for p in procs), key=abs)
    stdout = outs[0][0]
    log = "\n".join(f"--- rank {r} stdout ---\n{o[-3000:]}\n--- rank {r} stderr ---\n{e[-3000:]}"
                    for r, (o, e) in enumerate(outs))
    metrics, events = parse_lines(stdout)
    return RunResult(rc, log, metrics, events)


def run_inprocess(cfg: dict) -> RunResult:
    """A world-of-one run inside the test process (same Trainer, no interpreter start-up)."""
    from evolve_training.config import ConfigError, TrainingConfig
    from evolve_training.launch import init_distributed, shutdown
    from evolve_training.metrics import MetricWriter
    from evolve_training.trainer import Trainer

    import torch

    torch.set_num_threads(1)  # as OMP_NUM_THREADS=1 in the subprocess runs, so results compare bit for bit
    buf = io.StringIO()
    writer = MetricWriter(0, buf)
    rc = 0
    try:
        config = TrainingConfig.from_dict({"device": "cpu", **cfg})
        ctx = init_distributed(config)
        try:
            Trainer(config, ctx, writer).run()
        finally:
            shutdown()
    except ConfigError as exc:
        writer.event("error", kind="config", message=str(exc))
        rc = 2
    metrics, events = parse_lines(buf.getvalue())
    return RunResult(rc, buf.getvalue(), metrics, events)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def assert_ok(res: RunResult) -> None:
    assert res.rc == 0, res.out
