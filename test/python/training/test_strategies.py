# Every strategy for real on CPU with gloo (2-4 processes): it learns, and resumes bit-exactly.
from __future__ import annotations

import pytest
import torch

from training_helpers import assert_ok, run_train
from evolve_training import checkpoint as ckpt

# strategy -> (processes, extra config). ddp and fsdp share a config so their results can be compared.
CASES = {
    "ddp": (2, {"grad_accum_steps": 2}),
    "fsdp": (2, {"grad_accum_steps": 2}),
    "pipeline": (2, {"pipeline_microbatches": 4}),
    "hybrid": (4, {"hybrid_pipeline_stages": 2, "pipeline_schedule": "1f1b"}),
    "fedavg": (2, {"fedavg_local_steps": 3}),
}
_full_runs: dict[str, tuple] = {}


def config(strategy: str, ckpt_dir: str) -> dict:
    return {"strategy": strategy, "max_steps": 30, "log_every": 1, "lr": 3e-3, "seed": 1, "eval_every": 10,
            "checkpoint_dir": ckpt_dir, "checkpoint_every": 10, "keep_last": 5, "grad_clip": 1.0,
            **CASES[strategy][1]}


def full_run(strategy: str, tmp_path_factory):
    """One uninterrupted 30-step run per strategy, shared by the tests below."""
    if strategy not in _full_runs:
        ckpt_dir = str(tmp_path_factory.mktemp(f"{strategy}-ckpt"))
        cfg = config(strategy, ckpt_dir)
        _full_runs[strategy] = (cfg, run_train(cfg, nproc=CASES[strategy][0]))
    return _full_runs[strategy]


@pytest.mark.parametrize("strategy", list(CASES))
def test_strategy_learns(strategy, tmp_path_factory):
    cfg, full = full_run(strategy, tmp_path_factory)
    assert_ok(full)
    losses = full.losses()
    # Exactly one line per step: only rank 0 prints, whatever the number of processes.
    assert [m["step"] for m in full.metrics] == list(range(1, 31))
    assert {m["rank"] for m in full.metrics} == {0}
    first = sum(losses[s] for s in range(1, 6)) / 5
    last = sum(losses[s] for s in range(26, 31)) / 5
    assert last < 0.6 * first, (first, last)
    assert [e["step"] for e in full.events_named("checkpoint")] == [10, 20, 30]
    assert ckpt.load(ckpt.checkpoint_path(cfg["checkpoint_dir"], 10))["world_size"] == CASES[strategy][0]


@pytest.mark.parametrize("strategy", list(CASES))
def test_strategy_resumes_exactly(strategy, tmp_path_factory):
    cfg, full = full_run(strategy, tmp_path_factory)
    assert_ok(full)
    losses = full.losses()
    resumed = run_train({**cfg, "resume_from": ckpt.checkpoint_path(cfg["checkpoint_dir"], 10)},
                        nproc=CASES[strategy][0])
    assert_ok(resumed)
    assert resumed.events_named("resumed")[0]["step"] == 10
    assert [m["step"] for m in resumed.metrics] == list(range(11, 31))
    for m in resumed.metrics:
        assert m["loss"] == losses[m["step"]], f"{strategy} step {m['step']}: {m['loss']} != {losses[m['step']]}"
    assert [e["val_loss"] for e in resumed.events_named("eval")] == \
        [e["val_loss"] for e in full.events_named("eval") if e["step"] > 10]


def test_ddp_and_fsdp_compute_the_same_model(tmp_path_factory):
    # Same data, init and optimizer: sharding parameters must not change the maths.
    _, ddp = full_run("ddp", tmp_path_factory)
    _, fsdp = full_run("fsdp", tmp_path_factory)
    assert_ok(ddp)
    assert_ok(fsdp)
    for step, loss in ddp.losses().items():
        assert fsdp.losses()[step] == pytest.approx(loss, rel=1e-5), step


def test_resume_refuses_a_different_world_size(tmp_path_factory):
    cfg, full = full_run("ddp", tmp_path_factory)
    assert_ok(full)
    res = run_train({**cfg, "resume_from": "auto"}, nproc=1)
    assert res.rc == 2
    assert "same world size" in res.events_named("error")[0]["message"]


def test_nccl_and_fp16_on_gpu():
    if not torch.cuda.is_available():
        pytest.skip("no CUDA device on this machine: the nccl backend and fp16 autocast with GradScaler "
                    "need a GPU (all five strategies are covered on CPU with gloo above)")
    res = run_train({"strategy": "ddp", "device": "cuda", "mixed_precision": "fp16", "max_steps": 30,
                     "lr": 3e-3}, nproc=min(2, torch.cuda.device_count()))
    assert_ok(res)
    losses = res.losses()
    assert losses[30] < losses[1]
