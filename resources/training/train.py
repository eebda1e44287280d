#!/usr/bin/env python3
# Training entrypoint: `python train.py --config cfg.json` (alone, under torchrun, or per node by ray_launch.py).
from __future__ import annotations

import argparse
import json
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from evolve_training.config import ConfigError, TrainingConfig, json_schema  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="Evolve Studio trainer")
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--config", help="path to a TrainingConfig JSON file")
    src.add_argument("--config-json", help="TrainingConfig as a JSON string")
    ap.add_argument("--resume-from", help="'auto' (latest in checkpoint_dir) or a checkpoint path")
    ap.add_argument("--checkpoint-dir", help="overrides checkpoint_dir")
    ap.add_argument("--print-schema", action="store_true", help="print the TrainingConfig JSON schema and exit")
    return ap.parse_args(argv)


def load_config(args: argparse.Namespace) -> TrainingConfig:
    if args.config:
        with open(args.config, encoding="utf-8") as fh:
            data = json.load(fh)
    elif args.config_json:
        data = json.loads(args.config_json)
    else:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError("config must be a JSON object")
    if args.resume_from is not None:
        data["resume_from"] = args.resume_from
    if args.checkpoint_dir is not None:
        data["checkpoint_dir"] = args.checkpoint_dir
    return TrainingConfig.from_dict(data)


def _error_event(kind: str, message: str, **extra) -> None:
    print(json.dumps({"evolve_event": "error", "kind": kind, "message": message, **extra},
                     separators=(",", ":")), flush=True)


def _die_with_parent() -> None:
    # Under ray_launch: if torchrun dies (node lost, job stopped) this trainer must not live on as an orphan.
    import ctypes
    import signal

    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.print_schema:
        print(json.dumps(json_schema(), indent=2, sort_keys=True))
        return 0
    try:
        cfg = load_config(args)
    except (ConfigError, json.JSONDecodeError, OSError) as exc:
        _error_event("config", str(exc))
        return 2
    # Imported late so --print-schema and config errors answer without loading torch.distributed.
    from evolve_training.launch import init_distributed, shutdown
    from evolve_training.metrics import MetricWriter
    from evolve_training.trainer import Trainer

    if os.environ.get("EVOLVE_PDEATHSIG") == "1":
        _die_with_parent()
    ctx = None
    try:
        ctx = init_distributed(cfg)
        Trainer(cfg, ctx, MetricWriter(ctx.rank)).run()
        return 0
    except ConfigError as exc:
        if ctx is None or ctx.rank == 0:
            _error_event("config", str(exc))
        return 2
    except Exception as exc:  # noqa: BLE001 - report, then fail the process so the job fails
        traceback.print_exc()
        _error_event(type(exc).__name__, str(exc), rank=ctx.rank if ctx else None)
        return 1
    finally:
        shutdown()


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: gloo/c10d background threads destroyed during finalisation can abort
    # ("terminate called without an active exception", SIGABRT) after a fully successful run.
    os._exit(code)
