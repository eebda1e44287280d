# Real Ray jobs on a two-node local cluster: DDP learns; a killed node fails the job and a resubmit resumes.
from __future__ import annotations

import json
import os
import time
import uuid

from evolve_training import checkpoint as ckpt
from evolve_training.metrics import parse_lines


def max_step(logs: str) -> int:
    metrics, _ = parse_lines(logs)
    return max((m["step"] for m in metrics), default=0)


def launch_args(cfg: dict, *extra: str) -> list[str]:
    return ["--num-nodes", "2", "--config-json", json.dumps(cfg), "--placement-timeout", "90", *extra]


def test_two_node_ddp_job_trains_to_a_lower_loss(ray_cluster, tmp_path):
    assert len(ray_cluster.alive_nodes()) == 2
    job = f"evolve-ddp-{uuid.uuid4().hex[:8]}"
    cfg = {"strategy": "ddp", "device": "cpu", "max_steps": 60, "log_every": 2, "lr": 3e-3,
           "checkpoint_dir": str(tmp_path / "ck"), "checkpoint_every": 30}
    ray_cluster.submit(launch_args(cfg), job)
    status = ray_cluster.wait_status(job, {"SUCCEEDED", "FAILED", "STOPPED"}, timeout=180)
    logs = ray_cluster.logs(job)
    assert status == "SUCCEEDED", logs[-4000:]
    metrics, events = ray_cluster.parsed(job)
    launch = next(e for e in events if e["evolve_event"] == "launch")
    # Two different Ray nodes (distinct raylets and IPs), one trainer each.
    assert launch["world_size"] == 2 and len(set(launch["node_ids"])) == 2 and len(set(launch["nodes"])) == 2
    assert [m["step"] for m in metrics] == list(range(2, 61, 2))
    first, last = metrics[0]["loss"], metrics[-1]["loss"]
    assert last < 0.5 * first, (first, last)
    assert all(m["samples_per_s"] > 0 for m in metrics)
    assert next(e for e in events if e["evolve_event"] == "done")["step"] == 60
    print(f"\n[two-node ddp] loss {first:.4f} -> {last:.4f}")


def test_killed_worker_node_fails_the_job_and_resubmit_resumes(ray_cluster, tmp_path):
    ck = str(tmp_path / "ck")
    cfg = {"strategy": "ddp", "device": "cpu", "max_steps": 80, "log_every": 1, "lr": 3e-3, "checkpoint_dir": ck,
           "checkpoint_every": 30, "keep_last": 3, "step_sleep_s": 0.3}
    first_job = f"evolve-kill-{uuid.uuid4().hex[:8]}"
    ray_cluster.submit(launch_args(cfg), first_job)
    # Wait for real progress a few steps past the step-30 checkpoint (the next is ~8 s away), then take
    # the worker node down hard, so the resumed job must recompute steps the first one already logged.
    ray_cluster.wait_log(first_job, lambda logs: max_step(logs) >= 33, timeout=150)
    killed_at = time.monotonic()
    ray_cluster.harness("kill-worker", "1")
    status = ray_cluster.wait_status(first_job, {"SUCCEEDED", "FAILED", "STOPPED"}, timeout=120)
    fail_s = time.monotonic() - killed_at
    assert status == "FAILED", ray_cluster.logs(first_job)[-4000:]
    before, before_events = ray_cluster.parsed(first_job)
    steps_before = [m["step"] for m in before]
    assert steps_before == list(range(1, len(steps_before) + 1)) and 33 <= steps_before[-1] < 80
    failed = next(e for e in before_events if e["evolve_event"] == "failed")
    assert failed["reason"] in ("node lost", "trainer exited with an error")
    last_ckpt = max(s for s, _ in ckpt.list_checkpoints(ck))
    assert last_ckpt in (30, 60)

    # The node comes back (a replacement), and the job is resubmitted to continue from its checkpoint.
    ray_cluster.harness("add-worker", "1", "--timeout", "90")
    second_job = f"evolve-resume-{uuid.uuid4().hex[:8]}"
    ray_cluster.submit(launch_args({**cfg, "step_sleep_s": 0.0}, "--resume-from", "auto"), second_job)
    status = ray_cluster.wait_status(second_job, {"SUCCEEDED", "FAILED", "STOPPED"}, timeout=180)
    assert status == "SUCCEEDED", ray_cluster.logs(second_job)[-4000:]
    after, after_events = ray_cluster.parsed(second_job)
    resumed = next(e for e in after_events if e["evolve_event"] == "resumed")
    assert resumed["step"] == last_ckpt
    assert os.path.basename(resumed["path"]) == os.path.basename(ckpt.checkpoint_path(ck, last_ckpt))
    steps_after = [m["step"] for m in after]
    assert steps_after == list(range(last_ckpt + 1, 81)), "continuous: no gap and no repeat after the resume point"
    # Steps the first job ran past its last checkpoint are recomputed bit for bit: the loss continues exactly.
    loss_before = {m["step"]: m["loss"] for m in before}
    overlap = [m for m in after if m["step"] in loss_before]
    assert overlap, f"no logged step after checkpoint {last_ckpt} to compare (logged up to {steps_before[-1]})"
    for m in overlap:
        assert m["loss"] == loss_before[m["step"]], m["step"]
    assert after[-1]["loss"] < before[0]["loss"] * 0.5
    print(f"\n[kill+resume] killed after step {steps_before[-1]}, job FAILED {fail_s:.1f}s after the kill, "
          f"resumed at {last_ckpt}, steps {steps_after[0]}..{steps_after[-1]}, "
          f"loss {before[0]['loss']:.4f} -> {after[-1]['loss']:.4f}, overlap {len(overlap)} steps identical")


def test_missing_nodes_fail_fast_with_a_placement_error(ray_cluster):
    job = f"evolve-place-{uuid.uuid4().hex[:8]}"
    ray_cluster.submit(["--num-nodes", "3", "--placement-timeout", "5", "--config-json", '{"max_steps": 5}'], job)
    status = ray_cluster.wait_status(job, {"SUCCEEDED", "FAILED", "STOPPED"}, timeout=90)
    assert status == "FAILED"
    _, events = ray_cluster.parsed(job)
    error = next(e for e in events if e["evolve_event"] == "error")
    assert error["kind"] == "placement" and "3 nodes" in error["message"]
