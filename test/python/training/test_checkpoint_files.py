# Checkpoint files: atomic writes, keep-last-K, 'auto' picks the newest loadable one; LR schedule shapes.
from __future__ import annotations

import math
import os

import pytest
import torch

from evolve_training import checkpoint as ckpt
from evolve_training.config import TrainingConfig
from evolve_training.strategies.base import lr_lambda


def payload(step: int) -> dict:
    return {"format": ckpt.FORMAT_VERSION, "step": step, "weights": torch.full((3,), float(step))}


def test_keep_last_rotates_and_leaves_no_temp_files(tmp_path):
    d = str(tmp_path)
    for step in (10, 20, 30, 40):
        ckpt.save_atomic(payload(step), d, step, keep_last=2)
    assert [s for s, _ in ckpt.list_checkpoints(d)] == [30, 40]
    # Each checkpoint has its metadata sidecar (step, val loss); no temp file of either is left.
    assert sorted(os.listdir(d)) == ["ckpt-00000030.json", "ckpt-00000030.pt", "ckpt-00000040.json", "ckpt-00000040.pt"]
    assert ckpt.load(ckpt.checkpoint_path(d, 40))["weights"].tolist() == [40.0] * 3


def test_auto_resume_ignores_temp_files_and_skips_a_damaged_newest(tmp_path):
    d = str(tmp_path)
    ckpt.save_atomic(payload(10), d, 10, keep_last=5)
    ckpt.save_atomic(payload(20), d, 20, keep_last=5)
    # A crash mid-write leaves only a temp file, which must never be picked.
    with open(os.path.join(d, "ckpt-00000030.pt.tmp-123"), "wb") as fh:
        fh.write(b"partial")
    assert ckpt.resolve_resume("auto", d) == ckpt.checkpoint_path(d, 20)
    # A damaged final file (e.g. disk corruption) falls back to the previous checkpoint.
    with open(ckpt.checkpoint_path(d, 20), "wb") as fh:
        fh.write(b"garbage")
    assert ckpt.resolve_resume("auto", d) == ckpt.checkpoint_path(d, 10)


def test_auto_resume_with_no_checkpoint_starts_fresh_and_explicit_missing_path_fails(tmp_path):
    assert ckpt.resolve_resume("auto", str(tmp_path / "none")) is None
    assert ckpt.resolve_resume(None, str(tmp_path)) is None
    with pytest.raises(FileNotFoundError):
        ckpt.resolve_resume(str(tmp_path / "missing.pt"), None)


def test_load_rejects_foreign_files(tmp_path):
    path = str(tmp_path / "x.pt")
    torch.save({"something": 1}, path)
    with pytest.raises(ValueError, match="not an evolve_training checkpoint"):
        ckpt.load(path)


def test_rng_round_trip():
    state = ckpt.capture_rng()
    first = torch.rand(4)
    ckpt.restore_rng(state)
    assert torch.equal(torch.rand(4), first)


@pytest.mark.parametrize("schedule, expect", [
    ("constant", [0.25, 0.5, 0.75, 1.0, 1.0, 1.0]),
    ("linear", [0.25, 0.5, 0.75, 1.0, 1.0, 0.875, 0.75]),
    ("step", [0.25, 0.5, 0.75, 1.0, 1.0, 1.0, 0.5]),
])
def test_warmup_then_schedule(schedule, expect):
    cfg = TrainingConfig(lr_schedule=schedule, warmup_steps=4, max_steps=12, step_size=2, gamma=0.5).validate()
    factor = lr_lambda(cfg)
    assert [factor(s) for s in range(len(expect))] == pytest.approx(expect)


def test_cosine_decays_to_min_lr():
    cfg = TrainingConfig(lr_schedule="cosine", lr=1.0, min_lr=0.1, max_steps=10).validate()
    factor = lr_lambda(cfg)
    assert factor(0) == pytest.approx(1.0)
    assert factor(5) == pytest.approx(0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * 0.5)))
    assert factor(10) == pytest.approx(0.1)
