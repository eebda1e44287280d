# Federated averaging: each rank trains its own copy on its own data shard; weights are averaged periodically.
from __future__ import annotations

import contextlib

import torch
import torch.distributed as dist

from ..models import Autocast, build_model
from .base import Strategy


class FedAvgStrategy(Strategy):
    name = "fedavg"
    # Between averaging rounds the replicas differ, so every rank's weights go into the checkpoint.
    replicated = False

    def setup(self) -> None:
        self.model = Autocast(build_model(self.cfg), self.ctx.device.type, self.amp_dtype).to(self.ctx.device)
        self.make_optimizer(self.model.parameters())

    @torch.no_grad()
    def average_weights(self) -> None:
        for tensor in list(self.model.parameters()) + list(self.model.buffers()):
            dist.all_reduce(tensor.data, op=dist.ReduceOp.SUM)
            tensor.data.div_(self.ctx.world_size)

    def train_step(self, step: int) -> float:
        loss = self.accumulate(self.model, step, lambda last: contextlib.nullcontext())
        self.optimizer_step(self.model.parameters())
        if (step + 1) % self.cfg.fedavg_local_steps == 0:
            self.average_weights()
        return self.mean_over_world(loss)

    def finish(self, steps_done: int) -> None:
        # The delivered model is the global average, even when training stopped mid-round.
        if steps_done % self.cfg.fedavg_local_steps:
            self.average_weights()

    def evaluate(self) -> float:
        return self.mean_over_world(self.eval_local(self.model))
