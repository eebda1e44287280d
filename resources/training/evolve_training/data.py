# Synthetic, learnable data generated deterministically from a seed, plus the step -> batch index mapping.
from __future__ import annotations

import torch

from .config import TrainingConfig


class SyntheticDataset:
    """A random "teacher" MLP labels Gaussian inputs; the student must learn it, so loss really falls.

    Everything comes from one torch.Generator seeded with cfg.seed, so every rank (and every resume)
    sees bit-identical tensors without any data files or downloads.
    """

    def __init__(self, cfg: TrainingConfig):
        self.cfg = cfg
        gen = torch.Generator().manual_seed(cfg.seed + 1_000_003)
        total = cfg.num_samples + cfg.val_samples
        x = torch.randn(total, cfg.input_dim, generator=gen)
        w1 = torch.randn(cfg.input_dim, 32, generator=gen) / cfg.input_dim ** 0.5
        w2 = torch.randn(32, cfg.output_dim, generator=gen) / 32 ** 0.5
        logits = torch.tanh(x @ w1) @ w2
        if cfg.task == "regression":
            # Normalise so the initial MSE is ~1 whatever the dims, and add a little noise (a floor > 0).
            y = (logits - logits.mean(0)) / logits.std(0).clamp_min(1e-6)
            y = y + 0.05 * torch.randn(y.shape, generator=gen)
        else:
            y = logits.argmax(dim=1)
        self.x_train, self.y_train = x[: cfg.num_samples], y[: cfg.num_samples]
        self.x_val, self.y_val = x[cfg.num_samples:], y[cfg.num_samples:]
        self._perm_cache: dict[int, torch.Tensor] = {}

    def _perm(self, epoch: int) -> torch.Tensor:
        # One shuffle per epoch, derived from (seed, epoch) only: the order is a pure function of position.
        if epoch not in self._perm_cache:
            gen = torch.Generator().manual_seed(self.cfg.seed * 7919 + epoch)
            self._perm_cache = {epoch: torch.randperm(self.cfg.num_samples, generator=gen)}
        return self._perm_cache[epoch]

    def indices(self, start: int, count: int) -> torch.Tensor:
        """Indices of samples [start, start+count) of the endless shuffled stream (epochs concatenated)."""
        n = self.cfg.num_samples
        out = []
        pos = start
        while pos < start + count:
            epoch, offset = divmod(pos, n)
            take = min(n - offset, start + count - pos)
            out.append(self._perm(epoch)[offset: offset + take])
            pos += take
        return torch.cat(out)

    def micro_batch(self, step: int, micro: int, dp_rank: int, dp_size: int) -> tuple[torch.Tensor, torch.Tensor]:
        """The batch a data-parallel rank uses for micro-step `micro` of optimizer step `step` (0-based).

        The position is computed from the step, so a resumed run reads exactly what the original would have.
        """
        b, accum = self.cfg.batch_size, self.cfg.grad_accum_steps
        start = ((step * accum + micro) * dp_size + dp_rank) * b
        idx = self.indices(start, b)
        return self.x_train[idx], self.y_train[idx]

    def samples_per_step(self, dp_size: int) -> int:
        return self.cfg.batch_size * self.cfg.grad_accum_steps * dp_size

    def epoch_at(self, step: int, dp_size: int) -> int:
        return (step * self.samples_per_step(dp_size)) // self.cfg.num_samples
