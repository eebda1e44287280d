# Data parallel: a full replica per rank, gradients all-reduced by DistributedDataParallel.
from __future__ import annotations

import contextlib

from torch.nn.parallel import DistributedDataParallel as DDP

from ..models import Autocast, build_model
from .base import Strategy


class DDPStrategy(Strategy):
    name = "ddp"
    replicated = True

    def setup(self) -> None:
        module = Autocast(build_model(self.cfg), self.ctx.device.type, self.amp_dtype).to(self.ctx.device)
        device_ids = [self.ctx.device.index] if self.ctx.device.type == "cuda" else None
        self.model = DDP(module, device_ids=device_ids)
        self.make_optimizer(self.model.parameters())

    def model_module(self):
        return self.model.module

    def sync_ctx(self, last: bool):
        # Skip the all-reduce on all but the last micro-batch of an accumulation window.
        return contextlib.nullcontext() if last else self.model.no_sync()

    def train_step(self, step: int) -> float:
        loss = self.accumulate(self.model, step, self.sync_ctx)
        self.optimizer_step(self.model.parameters())
        return self.mean_over_world(loss)

    def evaluate(self) -> float:
        return self.mean_over_world(self.eval_local(self.model.module))
