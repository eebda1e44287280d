# Atomic checkpoint files (temp + fsync + os.replace), housekeeping (newest K + best by val loss), finding the latest.
from __future__ import annotations

import json
import math
import os
import random
import re
from dataclasses import dataclass
from typing import Any, Optional

import torch

CKPT_RE = re.compile(r"^ckpt-(\d{8})\.pt$")
FORMAT_VERSION = 1


def checkpoint_path(directory: str, step: int) -> str:
    return os.path.join(directory, f"ckpt-{step:08d}.pt")


def list_checkpoints(directory: str) -> list[tuple[int, str]]:
    """(step, path) of complete checkpoints, oldest first; temp files from a crashed write are ignored."""
    if not directory or not os.path.isdir(directory):
        return []
    found = []
    for name in os.listdir(directory):
        match = CKPT_RE.match(name)
        if match:
            found.append((int(match.group(1)), os.path.join(directory, name)))
    return sorted(found)


def _fsync_dir(directory: str) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def meta_path(checkpoint: str) -> str:
    """The sidecar next to a checkpoint: its step and validation loss, readable without loading the weights."""
    return checkpoint[: -len(".pt")] + ".json"


def _replace_atomic(final: str, write) -> None:
    tmp = f"{final}.tmp-{os.getpid()}"
    with open(tmp, "wb") as fh:
        write(fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, final)


def write_atomic(payload: dict[str, Any], directory: str, step: int, val_loss: Optional[float] = None) -> str:
    """Writes the checkpoint so a reader sees either the old set or the new complete file, never a torn one.

    `val_loss` is the validation loss of exactly this model state (an evaluation at this step), else None.
    """
    os.makedirs(directory, exist_ok=True)
    final = checkpoint_path(directory, step)
    meta = {"step": step, "val_loss": val_loss if val_loss is not None and math.isfinite(val_loss) else None}
    # The sidecar lands first: a checkpoint file never exists without its metadata once both writes finished.
    _replace_atomic(meta_path(final), lambda fh: fh.write(json.dumps(meta).encode()))
    _replace_atomic(final, lambda fh: torch.save(payload, fh))
    # The rename itself must reach the disk before older checkpoints are deleted.
    _fsync_dir(directory)
    return final


def read_val_loss(checkpoint: str) -> Optional[float]:
    """The sidecar's validation loss; None when there is none (no evaluation at that step, an older run, damage)."""
    try:
        with open(meta_path(checkpoint), encoding="utf-8") as fh:
            value = json.load(fh).get("val_loss")
    except (OSError, ValueError, AttributeError):
        return None
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else None


@dataclass(frozen=True)
class Removal:
    step: int
    path: str
    reason: str
    val_loss: Optional[float]


def prune(directory: str, keep_last: int, keep_best: int = 0) -> list[Removal]:
    """Deletes every checkpoint that is neither among the newest `keep_last` nor the `keep_best` lowest-val-loss ones.

    The newest checkpoint is always kept, so resume ('auto' = newest loadable) is unaffected. Checkpoints without a
    validation loss only compete on recency. Returns what was removed, oldest first, for the job's events.
    """
    found = list_checkpoints(directory)
    newest = {step for step, _ in found[-keep_last:]} if keep_last > 0 else set()
    losses = {step: read_val_loss(path) for step, path in found} if keep_best > 0 else {}
    scored = sorted((loss, -step) for step, loss in losses.items() if loss is not None)
    # Ties go to the newer checkpoint (it trained longer for the same validation loss).
    best = {-neg_step for _, neg_step in scored[:keep_best]}
    removed = []
    for step, path in found:
        if step in newest or step in best:
            continue
        loss = losses.get(step)
        if keep_best <= 0:
            why = f"older than the newest {keep_last}"
        elif loss is None:
            why = f"older than the newest {keep_last}; no validation loss at this step"
        else:
            why = f"older than the newest {keep_last} and not among the {keep_best} best by validation loss"
        for victim in (path, meta_path(path)):
            try:
                os.remove(victim)
            except FileNotFoundError:
                pass
        removed.append(Removal(step=step, path=os.path.abspath(path), reason=why, val_loss=loss))
    return removed


def save_atomic(payload: dict[str, Any], directory: str, step: int, keep_last: int, keep_best: int = 0,
                val_loss: Optional[float] = None) -> str:
    """write_atomic + prune, for callers that do not report removals."""
    final = write_atomic(payload, directory, step, val_loss)
    prune(directory, keep_last, keep_best)
    return final


def load(path: str) -> dict[str, Any]:
    payload = torch.load(path, map_location="cpu", weights_only=False)
    if not isinstance(payload, dict) or payload.get("format") != FORMAT_VERSION:
        raise ValueError(f"{path} is not an evolve_training checkpoint (format {FORMAT_VERSION})")
    return payload


def resolve_resume(resume_from: Optional[str], directory: Optional[str]) -> Optional[str]:
    """'auto' -> newest loadable checkpoint in `directory` (None if there is none); a path -> that path."""
    if not resume_from:
        return None
    if resume_from != "auto":
        if not os.path.isfile(resume_from):
            raise FileNotFoundError(f"resume_from checkpoint not found: {resume_from}")
        return resume_from
    for _, path in reversed(list_checkpoints(directory or "")):
        try:
            load(path)
            return path
        except Exception:  # noqa: BLE001 - a damaged file is skipped in favour of the previous one
            continue
    return None


def capture_rng() -> dict[str, Any]:
    state: dict[str, Any] = {"torch": torch.get_rng_state(), "python": random.getstate()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    try:
        import numpy as np

        state["numpy"] = np.random.get_state()
    except ImportError:
        pass
    return state


def restore_rng(state: dict[str, Any]) -> None:
    torch.set_rng_state(state["torch"])
    random.setstate(state["python"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])
    if "numpy" in state:
        try:
            import numpy as np

            np.random.set_state(state["numpy"])
        except ImportError:
            pass
