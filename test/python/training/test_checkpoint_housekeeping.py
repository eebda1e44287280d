# Checkpoint housekeeping: newest K plus the best by validation loss, removals reported as events, resume unaffected.
from __future__ import annotations

import json
import os

import pytest
import torch
from training_helpers import assert_ok, run_inprocess

from evolve_training import checkpoint as ckpt
from evolve_training.config import ConfigError, TrainingConfig

BASE = {"max_steps": 12, "num_samples": 256, "val_samples": 64, "hidden_dim": 16, "num_layers": 2, "batch_size": 16}


def payload(step: int) -> dict:
    return {"format": ckpt.FORMAT_VERSION, "step": step, "weights": torch.full((2,), float(step))}


def steps_on_disk(d: str) -> list[int]:
    return [s for s, _ in ckpt.list_checkpoints(d)]


def test_keeps_newest_k_and_the_best_by_val_loss(tmp_path):
    d = str(tmp_path)
    losses = {10: 0.9, 20: 0.2, 30: 0.5, 40: 0.6, 50: 0.7}
    removed = []
    for step, loss in losses.items():
        ckpt.write_atomic(payload(step), d, step, loss)
        removed += ckpt.prune(d, keep_last=2, keep_best=1)
    # Step 20 has the lowest validation loss, so it survives although it is older than the newest two.
    assert steps_on_disk(d) == [20, 40, 50]
    assert [r.step for r in removed] == [10, 30]
    assert removed[0].val_loss == pytest.approx(0.9)
    assert "not among the 1 best by validation loss" in removed[0].reason
    assert removed[0].path == os.path.abspath(ckpt.checkpoint_path(d, 10))
    # The sidecars go with their checkpoints; nothing else is left behind.
    assert sorted(os.listdir(d)) == [f"ckpt-000000{s}.{ext}" for s in (20, 40, 50) for ext in ("json", "pt")]
    # Resume still takes the newest checkpoint, not the best one.
    assert ckpt.resolve_resume("auto", d) == ckpt.checkpoint_path(d, 50)


def test_a_newer_best_replaces_the_old_best_and_ties_keep_the_newer(tmp_path):
    d = str(tmp_path)
    for step, loss in ((10, 0.3), (20, 0.8), (30, 0.3), (40, 0.1), (50, 0.9)):
        ckpt.write_atomic(payload(step), d, step, loss)
    removed = ckpt.prune(d, keep_last=1, keep_best=2)
    assert steps_on_disk(d) == [30, 40, 50]
    assert [r.step for r in removed] == [10, 20]


def test_without_validation_only_the_newest_k_stay(tmp_path):
    d = str(tmp_path)
    for step in (10, 20, 30, 40):
        ckpt.write_atomic(payload(step), d, step, None)
    removed = ckpt.prune(d, keep_last=2, keep_best=1)
    assert steps_on_disk(d) == [30, 40]
    assert [r.step for r in removed] == [10, 20]
    assert all(r.val_loss is None and "no validation loss" in r.reason for r in removed)


def test_a_missing_or_damaged_sidecar_only_loses_best_status(tmp_path):
    d = str(tmp_path)
    for step, loss in ((10, 0.1), (20, 0.5), (30, 0.6)):
        ckpt.write_atomic(payload(step), d, step, loss)
    with open(ckpt.meta_path(ckpt.checkpoint_path(d, 10)), "w", encoding="utf-8") as fh:
        fh.write("{not json")
    assert ckpt.read_val_loss(ckpt.checkpoint_path(d, 10)) is None
    removed = ckpt.prune(d, keep_last=1, keep_best=1)
    # Step 10's loss is unreadable, so the best known one (20) is kept instead; nothing raises.
    assert steps_on_disk(d) == [20, 30]
    assert [r.step for r in removed] == [10]


def test_non_finite_val_loss_is_stored_as_none(tmp_path):
    d = str(tmp_path)
    path = ckpt.write_atomic(payload(5), d, 5, float("nan"))
    with open(ckpt.meta_path(path), encoding="utf-8") as fh:
        assert json.load(fh) == {"step": 5, "val_loss": None}


def test_keep_best_is_validated():
    assert TrainingConfig(keep_best=0).validate().keep_best == 0
    with pytest.raises(ConfigError, match="keep_best must be >= 0"):
        TrainingConfig(keep_best=-1).validate()
    with pytest.raises(ConfigError, match="keep_best has the wrong type"):
        TrainingConfig.from_dict({"keep_best": 1.5})


def test_trainer_keeps_the_best_and_lists_removals_in_its_events(ckpt_dir):
    # Evaluate and checkpoint every 2 steps with a learning rate high enough that validation loss bounces around.
    res = run_inprocess({**BASE, "checkpoint_dir": ckpt_dir, "checkpoint_every": 2, "eval_every": 2,
                         "keep_last": 2, "keep_best": 1, "lr": 0.05, "optimizer": "sgd"})
    assert_ok(res)
    evals = {e["step"]: e["val_loss"] for e in res.events_named("eval")}
    assert sorted(evals) == [2, 4, 6, 8, 10, 12]
    checkpoints = res.events_named("checkpoint")
    assert [c["step"] for c in checkpoints] == [2, 4, 6, 8, 10, 12]
    # Each checkpoint records the evaluation of its own step.
    assert all(c["val_loss"] == pytest.approx(evals[c["step"]]) for c in checkpoints)
    best_step = min(evals, key=lambda s: (evals[s], -s))
    expected = sorted({10, 12, best_step})
    assert steps_on_disk(ckpt_dir) == expected
    removed = res.events_named("checkpoint_removed")
    assert sorted(e["step"] for e in removed) == [s for s in evals if s not in expected]
    for e in removed:
        assert not os.path.exists(e["path"]) and e["reason"] and e["val_loss"] == pytest.approx(evals[e["step"]])


def test_trainer_without_validation_keeps_newest_only(ckpt_dir):
    res = run_inprocess({**BASE, "max_steps": 8, "checkpoint_dir": ckpt_dir, "checkpoint_every": 2, "keep_last": 2})
    assert_ok(res)
    assert steps_on_disk(ckpt_dir) == [6, 8]
    assert [(e["step"], e["val_loss"]) for e in res.events_named("checkpoint_removed")] == [(2, None), (4, None)]
