# TrainingConfig: the one JSON-serialisable description of a training run (mirrored by a zod schema in TS).
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any, Optional

STRATEGIES = ("ddp", "fsdp", "pipeline", "hybrid", "fedavg")
TASKS = ("regression", "classification")
OPTIMIZERS = ("adamw", "sgd")
LR_SCHEDULES = ("constant", "cosine", "linear", "step")
PRECISIONS = ("fp32", "bf16", "fp16")
DEVICES = ("auto", "cpu", "cuda")
PIPELINE_SCHEDULES = ("gpipe", "1f1b")


class ConfigError(ValueError):
    """Raised for a config the trainer refuses; the message names the field."""


@dataclass
class TrainingConfig:
    # What to run.
    run_name: str = "run"
    strategy: str = "ddp"
    task: str = "regression"
    seed: int = 0
    device: str = "auto"
    # Data: a synthetic, learnable problem generated from `seed` (see data.py).
    num_samples: int = 4096
    val_samples: int = 512
    input_dim: int = 16
    output_dim: int = 1
    # Model: an MLP of `num_layers` hidden blocks (pipeline splits these blocks into stages).
    hidden_dim: int = 64
    num_layers: int = 4
    # Optimisation. batch_size is per data-parallel rank and per micro-step.
    batch_size: int = 32
    grad_accum_steps: int = 1
    max_steps: int = 200
    optimizer: str = "adamw"
    lr: float = 1e-3
    weight_decay: float = 0.0
    momentum: float = 0.9
    grad_clip: float = 0.0
    lr_schedule: str = "constant"
    warmup_steps: int = 0
    min_lr: float = 0.0
    step_size: int = 100
    gamma: float = 0.5
    mixed_precision: str = "fp32"
    # Evaluation and early stopping (patience 0 disables early stopping).
    eval_every: int = 0
    early_stopping_patience: int = 0
    early_stopping_min_delta: float = 0.0
    # Logging and checkpoints.
    log_every: int = 1
    checkpoint_dir: Optional[str] = None
    checkpoint_every: int = 0
    keep_last: int = 3
    # Also keep the `keep_best` checkpoints with the lowest validation loss (0 = newest keep_last only). A checkpoint's
    # validation loss is the evaluation at its own step, so this needs eval_every and checkpoint steps that meet.
    keep_best: int = 1
    resume_from: Optional[str] = None
    # Strategy-specific knobs.
    pipeline_microbatches: int = 4
    pipeline_schedule: str = "gpipe"
    hybrid_pipeline_stages: int = 2
    fedavg_local_steps: int = 5
    # Test hook: sleep this long after each optimizer step so a test can kill a node mid-run.
    step_sleep_s: float = 0.0

    def validate(self) -> "TrainingConfig":
        def one_of(name: str, allowed: tuple) -> None:
            if getattr(self, name) not in allowed:
                raise ConfigError(f"{name} must be one of {list(allowed)}, got {getattr(self, name)!r}")

        def positive(name: str, allow_zero: bool = False) -> None:
            value = getattr(self, name)
            if value < 0 or (value == 0 and not allow_zero):
                raise ConfigError(f"{name} must be {'>= 0' if allow_zero else '> 0'}, got {value!r}")

        one_of("strategy", STRATEGIES)
        one_of("task", TASKS)
        one_of("optimizer", OPTIMIZERS)
        one_of("lr_schedule", LR_SCHEDULES)
        one_of("mixed_precision", PRECISIONS)
        one_of("device", DEVICES)
        one_of("pipeline_schedule", PIPELINE_SCHEDULES)
        for name in ("num_samples", "input_dim", "output_dim", "hidden_dim", "num_layers", "batch_size",
                     "grad_accum_steps", "max_steps", "log_every", "keep_last", "pipeline_microbatches",
                     "hybrid_pipeline_stages", "fedavg_local_steps", "step_size"):
            positive(name)
        for name in ("val_samples", "eval_every", "early_stopping_patience", "checkpoint_every", "warmup_steps",
                     "keep_best", "step_sleep_s", "weight_decay", "grad_clip", "min_lr", "early_stopping_min_delta"):
            positive(name, allow_zero=True)
        if self.lr <= 0:
            raise ConfigError(f"lr must be > 0, got {self.lr!r}")
        if self.task == "classification" and self.output_dim < 2:
            raise ConfigError("output_dim must be >= 2 (number of classes) for task 'classification'")
        if self.early_stopping_patience > 0 and (self.eval_every == 0 or self.val_samples == 0):
            raise ConfigError("early_stopping_patience needs eval_every > 0 and val_samples > 0")
        if self.checkpoint_every > 0 and not self.checkpoint_dir:
            raise ConfigError("checkpoint_every needs checkpoint_dir")
        if self.resume_from and not self.checkpoint_dir and self.resume_from == "auto":
            raise ConfigError("resume_from 'auto' needs checkpoint_dir")
        if self.strategy in ("pipeline", "hybrid") and self.batch_size % self.pipeline_microbatches:
            raise ConfigError("batch_size must be divisible by pipeline_microbatches")
        return self

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TrainingConfig":
        if not isinstance(data, dict):
            raise ConfigError("config must be a JSON object")
        known = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            # Reject rather than ignore: a typo in the UI must not silently train with defaults.
            raise ConfigError(f"unknown config field(s): {unknown}")
        kwargs = {}
        for name, value in data.items():
            kwargs[name] = _coerce(name, value, known[name].default)
        return cls(**kwargs).validate()

    @classmethod
    def from_json(cls, text: str) -> "TrainingConfig":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"config is not valid JSON: {exc}") from exc
        return cls.from_dict(data)


def _coerce(name: str, value: Any, default: Any) -> Any:
    """Checks one JSON value against the field's default type; ints are accepted for float fields."""
    is_num = isinstance(value, (int, float)) and not isinstance(value, bool)
    if default is None:
        ok = value is None or isinstance(value, str)
    elif isinstance(default, float):
        ok, value = is_num, float(value) if is_num else value
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise ConfigError(f"{name} has the wrong type: {type(value).__name__}")
    return value


def json_schema() -> dict[str, Any]:
    """A JSON-Schema view of TrainingConfig, printed by `train.py --print-schema` for the TS side."""
    enums = {"strategy": STRATEGIES, "task": TASKS, "optimizer": OPTIMIZERS, "lr_schedule": LR_SCHEDULES,
             "mixed_precision": PRECISIONS, "device": DEVICES, "pipeline_schedule": PIPELINE_SCHEDULES}
    props: dict[str, Any] = {}
    for f in dataclasses.fields(TrainingConfig):
        if f.name in enums:
            props[f.name] = {"type": "string", "enum": list(enums[f.name]), "default": f.default}
        elif f.default is None:
            props[f.name] = {"type": ["string", "null"], "default": None}
        else:
            kind = {bool: "boolean", int: "integer", float: "number", str: "string"}[type(f.default)]
            props[f.name] = {"type": kind, "default": f.default}
    return {"type": "object", "additionalProperties": False, "properties": props}
