# Sharded data parallel (FSDP2 `fully_shard`): parameters, gradients and optimizer state split across ranks.
from __future__ import annotations

import contextlib
from typing import Any

import torch.distributed as dist
from torch.distributed.checkpoint.state_dict import StateDictOptions, get_state_dict, set_state_dict
from torch.distributed.fsdp import fully_shard

from ..models import Autocast, build_model
from .base import Strategy


class FSDPStrategy(Strategy):
    name = "fsdp"

    def setup(self) -> None:
        self.model = Autocast(build_model(self.cfg), self.ctx.device.type, self.amp_dtype).to(self.ctx.device)
        # Shard block by block so only one block's full weights exist at a time, then the root for the rest.
        for block in self.model.module:
            fully_shard(block)
        fully_shard(self.model)
        self.make_optimizer(self.model.parameters())

    def sync_ctx(self, last: bool):
        # FSDP2's equivalent of no_sync(): keep unsharded grads local until the last micro-batch.
        self.model.set_requires_gradient_sync(last)
        return contextlib.nullcontext()

    def train_step(self, step: int) -> float:
        loss = self.accumulate(self.model, step, self.sync_ctx)
        self.optimizer_step(self.model.parameters())
        return self.mean_over_world(loss)

    def evaluate(self) -> float:
        return self.mean_over_world(self.eval_local(self.model))

    # A checkpoint holds the full (unsharded) state gathered on rank 0, so it does not depend on sharding.
    def state(self) -> dict[str, Any]:
        model_sd, optim_sd = get_state_dict(self.model, self.optimizer,
                                            options=StateDictOptions(full_state_dict=True, cpu_offload=True))
        full = self.ctx.rank == 0
        return {"model": model_sd if full else None, "optimizer": optim_sd if full else None,
                "scheduler": self.scheduler.state_dict(),
                "scaler": self.scaler.state_dict() if self.scaler else None}

    def load_state(self, own: dict[str, Any], rank0: dict[str, Any]) -> None:
        # Every rank reads the shared file, so each passes the full state and keeps its own shard.
        set_state_dict(self.model, self.optimizer, model_state_dict=rank0["model"],
                       optim_state_dict=rank0["optimizer"], options=StateDictOptions(full_state_dict=True))
        self.scheduler.load_state_dict(own["scheduler"])
        if self.scaler and rank0.get("scaler"):
            self.scaler.load_state_dict(rank0["scaler"])
        dist.barrier()
