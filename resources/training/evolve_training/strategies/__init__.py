# Strategy registry: TrainingConfig.strategy -> the class that implements it (imported on demand).
from __future__ import annotations

import importlib

# Lazy on purpose: FSDP and pipelining pull in ~1.5 s of imports that a DDP run should not pay for.
_LOCATIONS = {
    "ddp": ("ddp", "DDPStrategy"),
    "fsdp": ("fsdp", "FSDPStrategy"),
    "pipeline": ("pipeline", "PipelineStrategy"),
    "hybrid": ("pipeline", "HybridStrategy"),
    "fedavg": ("fedavg", "FedAvgStrategy"),
}


def strategy_class(name: str):
    module, cls = _LOCATIONS[name]
    return getattr(importlib.import_module(f"{__name__}.{module}"), cls)


__all__ = ["strategy_class"]
