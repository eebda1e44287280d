# Fixtures for the trainer tests; puts resources/training on sys.path (helpers live in training_helpers.py).
from __future__ import annotations

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "resources", "training"))


@pytest.fixture
def ckpt_dir(tmp_path):
    return str(tmp_path / "ckpt")
