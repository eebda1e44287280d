# Shared pieces of every strategy: optimizer, LR schedule, precision, gradient steps, state capture.
from __future__ import annotations

import math
from typing import Any, Callable, Iterable, Optional

import torch
import torch.distributed as dist
from torch import nn

from ..config import ConfigError, TrainingConfig
from ..data import SyntheticDataset
from ..launch import DistContext
from ..models import loss_fn


def lr_lambda(cfg: TrainingConfig) -> Callable[[int], float]:
    """Multiplier of cfg.lr after `s` optimizer steps: linear warmup, then the chosen decay."""
    floor = cfg.min_lr / cfg.lr

    def factor(s: int) -> float:
        if s < cfg.warmup_steps:
            return (s + 1) / cfg.warmup_steps
        done = s - cfg.warmup_steps
        span = max(1, cfg.max_steps - cfg.warmup_steps)
        progress = min(1.0, done / span)
        if cfg.lr_schedule == "cosine":
            return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress))
        if cfg.lr_schedule == "linear":
            return floor + (1 - floor) * (1 - progress)
        if cfg.lr_schedule == "step":
            return cfg.gamma ** (done // cfg.step_size)
        return 1.0

    return factor


class Strategy:
    """One way of spreading the model over ranks. Subclasses build `self.model`/`self.optimizer`."""

    name = "base"
    # True when every rank holds the same full weights, so a checkpoint keeps rank 0's copy only.
    replicated = False

    def __init__(self, cfg: TrainingConfig, ctx: DistContext, data: SyntheticDataset):
        self.cfg, self.ctx, self.data = cfg, ctx, data
        self.loss = loss_fn(cfg)
        self.dp_rank, self.dp_size = ctx.rank, ctx.world_size
        if cfg.mixed_precision == "fp16" and ctx.device.type != "cuda":
            raise ConfigError("mixed_precision 'fp16' needs a GPU; use 'bf16' on CPU")
        self.amp_dtype = {"fp32": None, "bf16": torch.bfloat16, "fp16": torch.float16}[cfg.mixed_precision]
        # fp16 needs loss scaling to keep small gradients from flushing to zero; bf16 does not.
        self.scaler = torch.amp.GradScaler("cuda") if cfg.mixed_precision == "fp16" else None

    # --- built by subclasses -------------------------------------------------------------------------
    def setup(self) -> None:
        raise NotImplementedError

    def train_step(self, step: int) -> float:
        """Runs optimizer step `step` (0-based) over all micro-batches; returns the global mean loss."""
        raise NotImplementedError

    def evaluate(self) -> float:
        raise NotImplementedError

    # --- helpers ------------------------------------------------------------------------------------
    def make_optimizer(self, params: Iterable[nn.Parameter]) -> None:
        params = list(params)
        if self.cfg.optimizer == "adamw":
            self.optimizer = torch.optim.AdamW(params, lr=self.cfg.lr, weight_decay=self.cfg.weight_decay)
        else:
            self.optimizer = torch.optim.SGD(params, lr=self.cfg.lr, momentum=self.cfg.momentum,
                                             weight_decay=self.cfg.weight_decay)
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(self.optimizer, lr_lambda(self.cfg))

    def current_lr(self) -> float:
        return float(self.scheduler.get_last_lr()[0])

    def accumulate(self, model: nn.Module, step: int, sync_ctx: Callable[[bool], Any]) -> torch.Tensor:
        """Forward/backward over cfg.grad_accum_steps micro-batches; gradient sync only on the last."""
        accum = self.cfg.grad_accum_steps
        total = torch.zeros((), device=self.ctx.device)
        for micro in range(accum):
            x, y = self.data.micro_batch(step, micro, self.dp_rank, self.dp_size)
            x, y = x.to(self.ctx.device), y.to(self.ctx.device)
            with sync_ctx(micro == accum - 1):
                loss = self.loss(model(x), y)
                scaled = loss / accum
                (self.scaler.scale(scaled) if self.scaler else scaled).backward()
            total += loss.detach()
        return total / accum

    def optimizer_step(self, params: Iterable[nn.Parameter]) -> None:
        if self.scaler:
            self.scaler.unscale_(self.optimizer)
        if self.cfg.grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(list(params), self.cfg.grad_clip)
        if self.scaler:
            self.scaler.step(self.optimizer)
            self.scaler.update()
        else:
            self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        self.scheduler.step()

    def mean_over_world(self, value: torch.Tensor, divisor: Optional[int] = None) -> float:
        buf = value.detach().float().reshape(1).to(self.ctx.device)
        dist.all_reduce(buf, op=dist.ReduceOp.SUM)
        return float(buf.item() / (divisor or self.ctx.world_size))

    @torch.no_grad()
    def eval_local(self, model: nn.Module) -> torch.Tensor:
        model.eval()
        out = model(self.data.x_val.to(self.ctx.device))
        model.train()
        return self.loss(out, self.data.y_val.to(self.ctx.device))

    # --- checkpoint state ---------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """This rank's part of a checkpoint (may be a collective; every rank must call it)."""
        return {"model": self.model_state(), "optimizer": self.optimizer.state_dict(),
                "scheduler": self.scheduler.state_dict(),
                "scaler": self.scaler.state_dict() if self.scaler else None}

    def load_state(self, own: dict[str, Any], rank0: dict[str, Any]) -> None:
        src = rank0 if self.replicated else own
        self.load_model_state(src["model"])
        self.optimizer.load_state_dict(src["optimizer"])
        self.scheduler.load_state_dict(own["scheduler"])
        if self.scaler and src.get("scaler"):
            self.scaler.load_state_dict(src["scaler"])

    def model_state(self) -> dict[str, Any]:
        return self.model_module().state_dict()

    def load_model_state(self, state: dict[str, Any]) -> None:
        self.model_module().load_state_dict(state)

    def model_module(self) -> nn.Module:
        return self.model

    def finish(self, steps_done: int) -> None:
        """Called once after the last step (before the final checkpoint)."""
