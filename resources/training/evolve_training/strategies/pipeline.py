# Pipeline parallel (torch.distributed.pipelining), and hybrid = pipeline stages x data-parallel replicas.
from __future__ import annotations

from typing import Any

import torch
import torch.distributed as dist
from torch.distributed.pipelining import PipelineStage, Schedule1F1B, ScheduleGPipe

from ..config import ConfigError
from ..models import Autocast, build_stage
from .base import Strategy


class PipelineStrategy(Strategy):
    """Ranks are laid out replica-major: rank = replica * stages + stage. Pure pipeline has one replica."""

    name = "pipeline"

    def num_stages(self) -> int:
        return self.ctx.world_size

    def setup(self) -> None:
        if self.cfg.mixed_precision == "fp16":
            raise ConfigError("mixed_precision 'fp16' is not supported with pipeline stages; use 'bf16'")
        stages = self.num_stages()
        world = self.ctx.world_size
        if world % stages:
            raise ConfigError(f"world size {world} is not a multiple of hybrid_pipeline_stages {stages}")
        replicas = world // stages
        self.stages, self.stage = stages, self.ctx.rank % stages
        self.replica = self.ctx.rank // stages
        self.dp_rank, self.dp_size = self.replica, replicas
        # Every rank must create every group, in the same order (new_group is collective).
        self.pp_ranks = []
        for r in range(replicas):
            ranks = [r * stages + s for s in range(stages)]
            group = dist.new_group(ranks)
            if r == self.replica:
                self.pp_group, self.pp_ranks = group, ranks
        self.dp_group = None
        for s in range(stages):
            ranks = [r * stages + s for r in range(replicas)]
            group = dist.new_group(ranks)
            if s == self.stage:
                self.dp_group = group
        self.model = Autocast(build_stage(self.cfg, self.stage, stages), self.ctx.device.type,
                              self.amp_dtype).to(self.ctx.device)
        self.make_optimizer(self.model.parameters())
        self.is_first, self.is_last = self.stage == 0, self.stage == stages - 1
        pipe_stage = PipelineStage(self.model, self.stage, stages, self.ctx.device, group=self.pp_group)
        # Gradient accumulation folds into more micro-batches of one schedule step (same mean gradient).
        n_micro = self.cfg.pipeline_microbatches * self.cfg.grad_accum_steps
        schedule_cls = ScheduleGPipe if self.cfg.pipeline_schedule == "gpipe" else Schedule1F1B
        self.schedule = schedule_cls(pipe_stage, n_microbatches=n_micro, loss_fn=self.loss)

    def _step_batch(self, step: int) -> tuple[torch.Tensor, torch.Tensor]:
        parts = [self.data.micro_batch(step, m, self.dp_rank, self.dp_size) for m in range(self.cfg.grad_accum_steps)]
        x = torch.cat([p[0] for p in parts]).to(self.ctx.device)
        y = torch.cat([p[1] for p in parts]).to(self.ctx.device)
        return x, y

    def train_step(self, step: int) -> float:
        x, y = self._step_batch(step)
        losses: list[torch.Tensor] = []
        if self.is_first and self.is_last:
            self.schedule.step(x, target=y, losses=losses)
        elif self.is_first:
            self.schedule.step(x)
        elif self.is_last:
            self.schedule.step(target=y, losses=losses)
        else:
            self.schedule.step()
        params = [p for p in self.model.parameters() if p.grad is not None]
        if self.dp_size > 1:
            # Hybrid: average this stage's gradients across replicas (what DDP would do, stage by stage).
            for p in params:
                dist.all_reduce(p.grad, op=dist.ReduceOp.SUM, group=self.dp_group)
                p.grad.div_(self.dp_size)
        if self.cfg.grad_clip > 0:
            self._clip_global(params)
        self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        self.scheduler.step()
        local = torch.stack(losses).mean() if self.is_last else torch.zeros(())
        # Only last stages hold a loss: sum them over the world and divide by the number of replicas.
        return self.mean_over_world(local, divisor=self.dp_size)

    def _clip_global(self, params: list[torch.nn.Parameter]) -> None:
        # The norm must cover the whole model, i.e. all stages of this replica, not one stage.
        sq = torch.zeros((), device=self.ctx.device)
        for p in params:
            sq += p.grad.detach().float().pow(2).sum()
        dist.all_reduce(sq, op=dist.ReduceOp.SUM, group=self.pp_group)
        coef = self.cfg.grad_clip / (sq.sqrt() + 1e-6)
        if coef < 1:
            for p in params:
                p.grad.mul_(coef)

    @torch.no_grad()
    def evaluate(self) -> float:
        # Forward only, stage to stage with plain send/recv (activation shape is known: [n, hidden_dim]).
        self.model.eval()
        x = self.data.x_val.to(self.ctx.device)
        if self.is_first:
            act = self.model(x)
        else:
            act = torch.empty(x.shape[0], self.cfg.hidden_dim, device=self.ctx.device)
            dist.recv(act, src=self.pp_ranks[self.stage - 1])
            act = self.model(act)
        if not self.is_last:
            dist.send(act.contiguous(), dst=self.pp_ranks[self.stage + 1])
        self.model.train()
        local = self.loss(act, self.data.y_val.to(self.ctx.device)) if self.is_last else torch.zeros(())
        return self.mean_over_world(local, divisor=self.dp_size)

    def state(self) -> dict[str, Any]:
        return {"model": self.model.state_dict(), "optimizer": self.optimizer.state_dict(),
                "scheduler": self.scheduler.state_dict(), "scaler": None}


class HybridStrategy(PipelineStrategy):
    """Data parallel across replicas (e.g. one per node group) x pipeline stages inside each replica."""

    name = "hybrid"

    def num_stages(self) -> int:
        return self.cfg.hybrid_pipeline_stages
