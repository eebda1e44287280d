# Atomic checkpoint files (temp + fsync + os.replace), keep-last-K rotation, and finding the latest one.
from __future__ import annotations

import os
import random
import re
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


def save_atomic(payload: dict[str, Any], directory: str, step: int, keep_last: int) -> str:
    """Writes the checkpoint so a reader sees either the old set or the new complete file, never a torn one."""
    os.makedirs(directory, exist_ok=True)
    final = checkpoint_path(directory, step)
    tmp = f"{final}.tmp-{os.getpid()}"
    with open(tmp, "wb") as fh:
        torch.save(payload, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, final)
    # The rename itself must reach the disk before older checkpoints are deleted.
    _fsync_dir(directory)
    for _, old in list_checkpoints(directory)[:-keep_last]:
        try:
            os.remove(old)
        except FileNotFoundError:
            pass
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
