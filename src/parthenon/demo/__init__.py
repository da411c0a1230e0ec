"""Demo data: synthetic CloudTrail logs laid out as CloudTrail delivers them to S3."""
from .generator import GenerationStats, generate

__all__ = ["GenerationStats", "generate"]
