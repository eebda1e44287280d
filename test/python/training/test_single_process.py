# One-process training runs: learning, accumulation, precision, early stopping, and kill -> exact resume.
from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
import torch

from training_helpers import TRAINING_DIR, assert_ok, run_inprocess, run_train, train_argv, train_env
from evolve_training import checkpoint as ckpt
from evolve_training.metrics import parse_lines

BASE = {"max_steps": 60, "log_every": 1, "lr": 3e-3, "seed": 3}
_cache: dict[str, object] = {}


def base_run(**overrides):
    """In-process runs of BASE (+overrides), memoised so several tests can compare against one run."""
    key = repr(sorted(overrides.items()))
    if key not in _cache:
        _cache[key] = run_inprocess({**BASE, **overrides})
    return _cache[key]


def head_tail(losses: dict[int, float], n: int = 5) -> tuple[float, float]:
    steps = sorted(losses)
    return (sum(losses[s] for s in steps[:n]) / n, sum(losses[s] for s in steps[-n:]) / n)


@pytest.mark.parametrize("task, extra", [("regression", {}), ("classification", {"output_dim": 4})])
def test_loss_goes_down(task, extra):
    res = base_run(task=task, **extra)
    assert_ok(res)
    losses = res.losses()
    assert sorted(losses) == list(range(1, 61))
    first, last = head_tail(losses)
    assert last < 0.6 * first, (first, last)
    done = res.events_named("done")[0]
    assert done["step"] == 60 and done["reason"] == "max_steps"
    m = res.metrics[0]
    assert set(m) == {"evolve_metric", "step", "loss", "lr", "samples_per_s", "epoch", "rank", "ts"}
    assert m["rank"] == 0 and m["samples_per_s"] > 0 and m["lr"] == pytest.approx(3e-3)


def test_gradient_accumulation_matches_the_larger_batch():
    big = base_run(task="regression")  # batch_size 32, no accumulation
    acc = base_run(batch_size=16, grad_accum_steps=2)
    assert_ok(big)
    assert_ok(acc)
    a, b = big.losses(), acc.losses()
    assert sorted(a) == sorted(b) == list(range(1, 61))
    for step in a:
        assert b[step] == pytest.approx(a[step], rel=1e-4, abs=1e-6), step


def test_bf16_autocast_trains_and_changes_the_numbers():
    fp32 = base_run(task="regression")
    bf16 = base_run(task="regression", mixed_precision="bf16")
    assert_ok(fp32)
    assert_ok(bf16)
    first, last = head_tail(bf16.losses())
    assert last < 0.7 * first
    # If autocast were silently off, bf16 would reproduce fp32 bit for bit.
    assert bf16.losses() != fp32.losses()


def test_fp16_on_cpu_is_refused_with_a_reason():
    res = run_train({**BASE, "max_steps": 2, "mixed_precision": "fp16", "device": "cpu"})  # via the CLI
    assert res.rc == 2
    assert "needs a GPU" in res.events_named("error")[0]["message"]


def test_early_stopping_stops_when_validation_stops_improving():
    # min_delta is larger than any possible improvement, so only the first evaluation counts as one.
    res = run_inprocess({**BASE, "eval_every": 5, "early_stopping_patience": 2, "early_stopping_min_delta": 100.0})
    assert_ok(res)
    evals = res.events_named("eval")
    assert [e["step"] for e in evals] == [5, 10, 15]
    done = res.events_named("done")[0]
    assert done["reason"] == "early_stopping" and done["step"] == 15
    assert max(res.losses()) == 15


def test_lr_schedule_reaches_the_metric_lines():
    res = run_inprocess({**BASE, "max_steps": 10, "lr": 1e-2, "lr_schedule": "linear", "warmup_steps": 2})
    assert_ok(res)
    lrs = [m["lr"] for m in res.metrics]
    assert lrs[:4] == pytest.approx([5e-3, 1e-2, 1e-2, 1e-2 * (1 - 1 / 8)])
    assert lrs[-1] < lrs[2]


def test_checkpoint_holds_everything_needed_to_resume(ckpt_dir):
    res = run_inprocess({**BASE, "max_steps": 12, "checkpoint_dir": ckpt_dir, "checkpoint_every": 4, "keep_last": 2,
                     "optimizer": "sgd", "lr_schedule": "cosine"})
    assert_ok(res)
    assert [e["step"] for e in res.events_named("checkpoint")] == [4, 8, 12]
    assert [s for s, _ in ckpt.list_checkpoints(ckpt_dir)] == [8, 12]
    payload = ckpt.load(ckpt.checkpoint_path(ckpt_dir, 12))
    assert payload["step"] == 12 and payload["samples_consumed"] == 12 * 32 and payload["world_size"] == 1
    rank0 = payload["ranks"][0]
    assert set(rank0) >= {"model", "optimizer", "scheduler", "rng"}
    assert rank0["scheduler"]["last_epoch"] == 12
    assert rank0["optimizer"]["state"], "momentum buffers must be saved"
    assert isinstance(rank0["rng"]["torch"], torch.Tensor)


def test_killed_run_resumes_exactly(ckpt_dir):
    cfg = {**BASE, "max_steps": 40, "checkpoint_dir": ckpt_dir, "checkpoint_every": 5, "lr_schedule": "cosine",
           "warmup_steps": 5, "grad_accum_steps": 2, "eval_every": 10}
    reference = run_inprocess({**cfg, "checkpoint_dir": ckpt_dir + "-ref"})
    assert_ok(reference)
    # Slow the victim down so the kill lands mid-run, after a checkpoint and before the end.
    proc = subprocess.Popen(train_argv({**cfg, "step_sleep_s": 0.05}), stdout=subprocess.PIPE, text=True,
                            env=train_env(), cwd=TRAINING_DIR, start_new_session=True)
    seen = []
    deadline = time.monotonic() + 60
    try:
        for line in proc.stdout:
            seen.append(line)
            if '"evolve_event":"checkpoint","step":15' in line or time.monotonic() > deadline:
                break
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    before, _ = parse_lines("".join(seen))
    assert before and before[-1]["step"] >= 15, "the victim never reached its step-15 checkpoint"
    last_ckpt = max(s for s, _ in ckpt.list_checkpoints(ckpt_dir))
    assert 15 <= last_ckpt < 40

    resumed = run_train(cfg, extra=("--resume-from", "auto"))
    assert_ok(resumed)
    assert resumed.events_named("resumed")[0]["step"] == last_ckpt
    steps = [m["step"] for m in resumed.metrics]
    assert steps == list(range(last_ckpt + 1, 41)), "no gaps and no repeats after the resume point"
    ref = reference.losses()
    for m in resumed.metrics:
        assert m["loss"] == ref[m["step"]], f"step {m['step']}: {m['loss']} != {ref[m['step']]}"
    assert [e["val_loss"] for e in resumed.events_named("eval")] == \
        [e["val_loss"] for e in reference.events_named("eval") if e["step"] > last_ckpt]
