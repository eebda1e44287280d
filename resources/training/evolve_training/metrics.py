# The stdout protocol the app parses: one JSON object per line, metrics and events, printed by rank 0 only.
from __future__ import annotations

import json
import math
import sys
import time
from typing import Any


def _clean(value: Any) -> Any:
    # JSON has no NaN/Infinity; a diverged loss is reported as null rather than breaking the parser.
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class MetricWriter:
    def __init__(self, rank: int, stream=None):
        self.rank = rank
        self.stream = stream if stream is not None else sys.stdout

    def _emit(self, obj: dict[str, Any]) -> None:
        if self.rank != 0:
            return
        line = json.dumps({k: _clean(v) for k, v in obj.items()}, separators=(",", ":"), allow_nan=False)
        # One write + flush per line so lines never interleave and the job log shows them at once.
        self.stream.write(line + "\n")
        self.stream.flush()

    def metric(self, step: int, loss: float, lr: float, samples_per_s: float, epoch: int, **extra: Any) -> None:
        self._emit({"evolve_metric": 1, "step": step, "loss": loss, "lr": lr,
                    "samples_per_s": round(samples_per_s, 1), "epoch": epoch, "rank": self.rank,
                    "ts": round(time.time(), 3), **extra})

    def event(self, name: str, **fields: Any) -> None:
        self._emit({"evolve_event": name, **fields, "ts": round(time.time(), 3)})


def parse_lines(text: str) -> tuple[list[dict], list[dict]]:
    """Splits a log into (metrics, events); tolerant of other lines and of prefixes before the JSON."""
    metrics, events = [], []
    for raw in text.splitlines():
        start = raw.find("{\"evolve_")
        if start < 0:
            continue
        try:
            obj = json.loads(raw[start:])
        except json.JSONDecodeError:
            continue
        if obj.get("evolve_metric") == 1:
            metrics.append(obj)
        elif "evolve_event" in obj:
            events.append(obj)
    return metrics, events
