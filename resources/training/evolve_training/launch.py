# Process-group setup from torchrun/ray_launch environment variables (or a world of one when run alone).
from __future__ import annotations

import datetime
import os
import socket
from dataclasses import dataclass

import torch
import torch.distributed as dist

from .config import ConfigError, TrainingConfig


@dataclass
class DistContext:
    rank: int
    world_size: int
    local_rank: int
    device: torch.device
    backend: str

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def pick_device(cfg: TrainingConfig, local_rank: int) -> torch.device:
    if cfg.device == "cuda" or (cfg.device == "auto" and torch.cuda.is_available()):
        if not torch.cuda.is_available():
            raise ConfigError("device 'cuda' requested but no CUDA device is visible")
        torch.cuda.set_device(local_rank % torch.cuda.device_count())
        return torch.device("cuda", torch.cuda.current_device())
    return torch.device("cpu")


def init_distributed(cfg: TrainingConfig) -> DistContext:
    """Joins the process group described by RANK/WORLD_SIZE/MASTER_ADDR/MASTER_PORT (torchrun and
    ray_launch set them); without them, forms a world of one so every code path is the same."""
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    device = pick_device(cfg, local_rank)
    # gloo on CPU, nccl on GPU: nccl cannot move CPU tensors and gloo is slow on GPU.
    backend = "nccl" if device.type == "cuda" else "gloo"
    # Bounded so a rank whose peer vanished (node killed) errors out instead of hanging forever.
    timeout = datetime.timedelta(seconds=float(os.environ.get("EVOLVE_DIST_TIMEOUT_S", "120")))
    if "RANK" in os.environ and "WORLD_SIZE" in os.environ:
        dist.init_process_group(backend, init_method="env://", timeout=timeout)
    else:
        dist.init_process_group(backend, init_method=f"tcp://127.0.0.1:{free_port()}", rank=0, world_size=1,
                                timeout=timeout)
    return DistContext(dist.get_rank(), dist.get_world_size(), local_rank, device, backend)


def shutdown() -> None:
    if dist.is_initialized():
        dist.destroy_process_group()
