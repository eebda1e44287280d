# The training loop shared by every strategy: steps, metrics, evaluation, early stopping, checkpoints, resume.
from __future__ import annotations

import math
import os
import time
from typing import Any, Optional

import torch.distributed as dist

from . import checkpoint as ckpt
from .config import ConfigError, TrainingConfig
from .data import SyntheticDataset
from .launch import DistContext
from .metrics import MetricWriter
from .strategies import strategy_class

# Fields that change the loss trajectory: a checkpoint only resumes under the same values.
TRAJECTORY_FIELDS = ("strategy", "task", "seed", "num_samples", "val_samples", "input_dim", "output_dim",
                     "hidden_dim", "num_layers", "batch_size", "grad_accum_steps", "optimizer", "lr",
                     "weight_decay", "momentum", "grad_clip", "lr_schedule", "warmup_steps", "min_lr",
                     "step_size", "gamma", "mixed_precision", "pipeline_microbatches", "pipeline_schedule",
                     "hybrid_pipeline_stages", "fedavg_local_steps", "eval_every", "early_stopping_patience",
                     "early_stopping_min_delta")


class Trainer:
    def __init__(self, cfg: TrainingConfig, ctx: DistContext, writer: Optional[MetricWriter] = None):
        self.cfg, self.ctx = cfg, ctx
        self.writer = writer or MetricWriter(ctx.rank)
        self.data = SyntheticDataset(cfg)
        self.strategy = strategy_class(cfg.strategy)(cfg, ctx, self.data)
        self.strategy.setup()
        self.best_val = math.inf
        self.bad_evals = 0
        self.finished = False
        # (step, val loss) of the latest evaluation: a checkpoint at that step records it for keep-best housekeeping.
        self.last_eval: Optional[tuple[int, float]] = None

    # --- checkpoints --------------------------------------------------------------------------------
    def _loop_state(self) -> dict[str, Any]:
        return {"best_val": self.best_val, "bad_evals": self.bad_evals, "finished": self.finished}

    def save(self, steps_done: int) -> None:
        """Collective: every rank contributes its state; rank 0 writes one file atomically."""
        state = self.strategy.state()
        state["rng"] = ckpt.capture_rng()
        if self.strategy.replicated and self.ctx.rank != 0:
            state["model"] = state["optimizer"] = None  # identical to rank 0's copy
        gathered: Optional[list] = [None] * self.ctx.world_size if self.ctx.rank == 0 else None
        dist.gather_object(state, gathered, dst=0)
        if self.ctx.rank == 0:
            payload = {"format": ckpt.FORMAT_VERSION, "step": steps_done, "world_size": self.ctx.world_size,
                       "samples_consumed": steps_done * self.data.samples_per_step(self.strategy.dp_size),
                       "epoch": self.data.epoch_at(steps_done, self.strategy.dp_size),
                       "config": self.cfg.to_dict(), "loop": self._loop_state(), "ranks": gathered}
            val = self.last_eval[1] if self.last_eval and self.last_eval[0] == steps_done else None
            path = ckpt.write_atomic(payload, self.cfg.checkpoint_dir, steps_done, val)
            self.writer.event("checkpoint", step=steps_done, path=os.path.abspath(path), val_loss=val)
            # Housekeeping after the new file is durable; each removal is listed in the job's events.
            for gone in ckpt.prune(self.cfg.checkpoint_dir, self.cfg.keep_last, self.cfg.keep_best):
                self.writer.event("checkpoint_removed", step=gone.step, path=gone.path, reason=gone.reason,
                                  val_loss=gone.val_loss)
        # Nobody runs ahead of a checkpoint that is still being written.
        dist.barrier()

    def resume(self) -> int:
        """Loads the checkpoint named by cfg.resume_from; returns the number of steps already done."""
        choice = [ckpt.resolve_resume(self.cfg.resume_from, self.cfg.checkpoint_dir) if self.ctx.rank == 0 else None]
        # Rank 0 picks the file so all ranks load the same one even if another appears meanwhile.
        dist.broadcast_object_list(choice, src=0)
        path = choice[0]
        if path is None:
            if self.cfg.resume_from and self.cfg.resume_from != "auto":
                raise FileNotFoundError(self.cfg.resume_from)
            return 0
        payload = ckpt.load(path)
        self._check_compatible(payload)
        ranks = payload["ranks"]
        self.strategy.load_state(ranks[self.ctx.rank], ranks[0])
        ckpt.restore_rng(ranks[self.ctx.rank]["rng"])
        loop = payload["loop"]
        self.best_val, self.bad_evals, self.finished = loop["best_val"], loop["bad_evals"], loop["finished"]
        self.writer.event("resumed", step=payload["step"], path=os.path.abspath(path),
                          samples_consumed=payload["samples_consumed"])
        return payload["step"]

    def _check_compatible(self, payload: dict[str, Any]) -> None:
        if payload["world_size"] != self.ctx.world_size:
            raise ConfigError(f"checkpoint was written by {payload['world_size']} ranks, this run has "
                              f"{self.ctx.world_size}; resume needs the same world size")
        saved = payload["config"]
        fields = TRAJECTORY_FIELDS + (("max_steps",) if self.cfg.lr_schedule in ("cosine", "linear") else ())
        diff = [f for f in fields if saved.get(f) != getattr(self.cfg, f)]
        if diff:
            raise ConfigError(f"checkpoint config differs in {diff}; resume needs the same values")

    # --- the loop -----------------------------------------------------------------------------------
    def _evaluate(self, steps_done: int) -> bool:
        """Runs validation; returns True when early stopping says to stop."""
        val = self.strategy.evaluate()
        improved = val < self.best_val - self.cfg.early_stopping_min_delta
        if improved:
            self.best_val, self.bad_evals = val, 0
        else:
            self.bad_evals += 1
        self.last_eval = (steps_done, val)
        self.writer.event("eval", step=steps_done, val_loss=val, best_val_loss=self.best_val)
        patience = self.cfg.early_stopping_patience
        return patience > 0 and self.bad_evals >= patience

    def run(self) -> dict[str, Any]:
        cfg = self.cfg
        started = time.perf_counter()
        steps_done = self.resume() if cfg.resume_from else 0
        reason = "already_finished" if self.finished else "max_steps"
        loss = math.nan
        per_step = self.data.samples_per_step(self.strategy.dp_size)
        window_start, window_steps = time.perf_counter(), 0
        step = steps_done
        while step < cfg.max_steps and not self.finished:
            lr = self.strategy.current_lr()
            loss = self.strategy.train_step(step)
            step += 1
            window_steps += 1
            if step % cfg.log_every == 0 or step == cfg.max_steps:
                elapsed = max(time.perf_counter() - window_start, 1e-9)
                self.writer.metric(step=step, loss=loss, lr=lr, samples_per_s=window_steps * per_step / elapsed,
                                   epoch=self.data.epoch_at(step - 1, self.strategy.dp_size))
                window_start, window_steps = time.perf_counter(), 0
            if cfg.eval_every and step % cfg.eval_every == 0 and self._evaluate(step):
                self.finished, reason = True, "early_stopping"
            # The last step's checkpoint is written after finish() below, so it holds the final state.
            if cfg.checkpoint_every and step % cfg.checkpoint_every == 0 and step < cfg.max_steps \
                    and not self.finished:
                self.save(step)
            if cfg.step_sleep_s:
                time.sleep(cfg.step_sleep_s)
        if reason != "already_finished":
            self.strategy.finish(step)
            self.finished = True
            if cfg.checkpoint_dir:
                self.save(step)
        # Everyone arrives before anyone tears down: a rank exiting early takes the rendezvous store with it.
        dist.barrier()
        summary = {"step": step, "final_loss": loss, "reason": reason,
                   "elapsed_s": round(time.perf_counter() - started, 3)}
        if cfg.eval_every:
            summary["best_val_loss"] = self.best_val
        self.writer.event("done", **summary)
        return summary
