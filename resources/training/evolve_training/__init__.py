# evolve_training: Evolve Studio's PyTorch trainer (DDP, FSDP, pipeline, hybrid, federated averaging).
from .config import ConfigError, TrainingConfig

__version__ = "0.1.0"
__all__ = ["ConfigError", "TrainingConfig", "__version__"]
