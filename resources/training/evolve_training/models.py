# The MLP we train, its loss, and how its layers split into pipeline stages.
from __future__ import annotations

import torch
from torch import nn
import torch.nn.functional as F

from .config import ConfigError, TrainingConfig


def build_layers(cfg: TrainingConfig) -> list[nn.Module]:
    """Returns the model as a flat list of blocks; seeded so every rank and strategy starts identical."""
    torch.manual_seed(cfg.seed)
    layers: list[nn.Module] = [nn.Sequential(nn.Linear(cfg.input_dim, cfg.hidden_dim), nn.GELU())]
    for _ in range(cfg.num_layers - 1):
        layers.append(nn.Sequential(nn.Linear(cfg.hidden_dim, cfg.hidden_dim), nn.GELU()))
    layers.append(nn.Linear(cfg.hidden_dim, cfg.output_dim))
    return layers


def build_model(cfg: TrainingConfig) -> nn.Sequential:
    return nn.Sequential(*build_layers(cfg))


def stage_bounds(num_blocks: int, num_stages: int) -> list[tuple[int, int]]:
    """Splits `num_blocks` consecutive blocks into `num_stages` contiguous, near-equal ranges."""
    if num_stages > num_blocks:
        raise ConfigError(f"cannot split {num_blocks} blocks into {num_stages} pipeline stages; raise num_layers")
    base, extra = divmod(num_blocks, num_stages)
    bounds, start = [], 0
    for s in range(num_stages):
        end = start + base + (1 if s < extra else 0)
        bounds.append((start, end))
        start = end
    return bounds


def build_stage(cfg: TrainingConfig, stage: int, num_stages: int) -> nn.Sequential:
    # Build the whole model then slice, so stage weights equal the same layers of the unsplit model.
    layers = build_layers(cfg)
    lo, hi = stage_bounds(len(layers), num_stages)[stage]
    return nn.Sequential(*layers[lo:hi])


def loss_fn(cfg: TrainingConfig):
    if cfg.task == "regression":
        return lambda out, target: F.mse_loss(out.float(), target)
    return lambda out, target: F.cross_entropy(out.float(), target)


class Autocast(nn.Module):
    """Runs the wrapped module under autocast and hands fp32 back, so stages and losses see one dtype."""

    def __init__(self, module: nn.Module, device_type: str, dtype: torch.dtype | None):
        super().__init__()
        self.module = module
        self.device_type = device_type
        self.dtype = dtype

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.dtype is None:
            return self.module(x)
        with torch.autocast(self.device_type, dtype=self.dtype):
            return self.module(x).float()
