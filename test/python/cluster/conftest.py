# Fixtures for the Ray cluster tests: a real head + worker node from scripts/python/ray-cluster.sh, always stopped.
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TRAINING_DIR = os.path.join(ROOT, "resources", "training")
HARNESS = os.path.join(ROOT, "scripts", "python", "ray-cluster.sh")
RAY_BIN = os.path.join(os.path.dirname(sys.executable), "ray")
sys.path.insert(0, TRAINING_DIR)

from evolve_training.metrics import parse_lines  # noqa: E402

# Ports of their own, so a developer's cluster on the harness defaults (6379/8265) is left alone.
GCS_PORT = int(os.environ.get("EVOLVE_TEST_RAY_PORT", "7379"))
DASHBOARD_PORT = int(os.environ.get("EVOLVE_TEST_RAY_DASHBOARD_PORT", "8365"))


class Cluster:
    def __init__(self):
        self.env = dict(os.environ, EVOLVE_RAY_PORT=str(GCS_PORT), EVOLVE_RAY_DASHBOARD_PORT=str(DASHBOARD_PORT),
                        EVOLVE_RAY_NUM_CPUS="1", EVOLVE_RAY_OBJECT_STORE_BYTES="200000000", RAY_DEDUP_LOGS="0",
                        EVOLVE_PYTHON=sys.executable)
        self.address = f"http://127.0.0.1:{DASHBOARD_PORT}"

    def harness(self, *args: str, timeout: float = 180) -> str:
        proc = subprocess.run([HARNESS, *args], capture_output=True, text=True, timeout=timeout, env=self.env)
        assert proc.returncode == 0, f"ray-cluster.sh {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
        return proc.stdout

    def alive_nodes(self) -> list:
        return json.loads(self.harness("status", timeout=30)).get("alive", [])

    def submit(self, launch_args: list[str], submission_id: str) -> None:
        """Submits through the real `ray job submit` CLI, as a user at a terminal would."""
        cmd = [RAY_BIN, "job", "submit", "--address", self.address, "--no-wait", "--submission-id", submission_id,
               "--working-dir", TRAINING_DIR, "--", "python", "ray_launch.py", *launch_args]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=self.env)
        assert proc.returncode == 0, proc.stdout + proc.stderr

    def client(self):
        from ray.job_submission import JobSubmissionClient

        return JobSubmissionClient(self.address)

    def wait_status(self, job_id: str, terminal: set, timeout: float) -> str:
        client = self.client()
        deadline = time.monotonic() + timeout
        status = None
        while time.monotonic() < deadline:
            status = str(client.get_job_status(job_id).value)
            if status in terminal:
                return status
            time.sleep(1.0)
        raise AssertionError(f"job {job_id} still {status} after {timeout}s:\n{self.logs(job_id)[-4000:]}")

    def wait_log(self, job_id: str, needle, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            logs = self.logs(job_id)
            if needle(logs):
                return logs
            status = str(self.client().get_job_status(job_id).value)
            if status in {"SUCCEEDED", "FAILED", "STOPPED"}:
                raise AssertionError(f"job {job_id} ended ({status}) before the expected log line:\n{logs[-4000:]}")
            time.sleep(0.5)
        raise AssertionError(f"expected log line not seen within {timeout}s:\n{self.logs(job_id)[-4000:]}")

    def logs(self, job_id: str) -> str:
        return self.client().get_job_logs(job_id)

    def parsed(self, job_id: str):
        return parse_lines(self.logs(job_id))


@pytest.fixture(scope="session")
def ray_cluster():
    cluster = Cluster()
    cluster.harness("stop", timeout=60)  # leftovers of an aborted earlier run on the same ports
    try:
        cluster.harness("start", "--workers", "1", "--timeout", "120")
        yield cluster
    finally:
        cluster.harness("stop", timeout=60)
