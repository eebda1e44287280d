# TrainingConfig: validation, JSON round trip, the CLI's config errors, and that README documents every field.
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys

import pytest

from training_helpers import TRAIN_PY, TRAINING_DIR
from evolve_training.config import ConfigError, TrainingConfig, json_schema


def test_defaults_are_valid_and_round_trip_through_json():
    cfg = TrainingConfig().validate()
    again = TrainingConfig.from_json(cfg.to_json())
    assert again == cfg
    assert set(json.loads(cfg.to_json())) == {f.name for f in dataclasses.fields(TrainingConfig)}


def test_int_is_accepted_for_float_fields():
    assert TrainingConfig.from_dict({"lr": 1}).lr == 1.0


@pytest.mark.parametrize("data, field", [
    ({"strategy": "zero3"}, "strategy"),
    ({"batch_size": 0}, "batch_size"),
    ({"batch_size": "32"}, "batch_size"),
    ({"batch_size": True}, "batch_size"),
    ({"lr": -1.0}, "lr"),
    ({"learning_rate": 0.1}, "learning_rate"),
    ({"task": "classification", "output_dim": 1}, "output_dim"),
    ({"early_stopping_patience": 2}, "early_stopping_patience"),
    ({"checkpoint_every": 5}, "checkpoint_every"),
    ({"resume_from": "auto"}, "resume_from"),
    ({"strategy": "pipeline", "batch_size": 30, "pipeline_microbatches": 4}, "batch_size"),
])
def test_invalid_configs_name_the_field(data, field):
    with pytest.raises(ConfigError, match=field):
        TrainingConfig.from_dict(data)


def test_schema_lists_every_field_with_its_default():
    props = json_schema()["properties"]
    for f in dataclasses.fields(TrainingConfig):
        assert props[f.name]["default"] == f.default
    assert props["strategy"]["enum"] == ["ddp", "fsdp", "pipeline", "hybrid", "fedavg"]
    assert json_schema()["additionalProperties"] is False


def test_readme_documents_every_field():
    with open(os.path.join(TRAINING_DIR, "README.md"), encoding="utf-8") as fh:
        readme = fh.read()
    missing = [f.name for f in dataclasses.fields(TrainingConfig) if f"| `{f.name}`" not in readme]
    assert not missing, f"README.md lacks rows for {missing}"


def test_cli_reports_config_errors_as_an_event_and_exit_2():
    proc = subprocess.run([sys.executable, TRAIN_PY, "--config-json", '{"optimizer": "lion"}'],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    event = json.loads(proc.stdout.strip().splitlines()[-1])
    assert event["evolve_event"] == "error" and event["kind"] == "config" and "optimizer" in event["message"]


def test_cli_prints_schema():
    proc = subprocess.run([sys.executable, TRAIN_PY, "--print-schema"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == json_schema()
