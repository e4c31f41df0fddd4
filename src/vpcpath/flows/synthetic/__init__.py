"""Realistic flow logs for a snapshot, with the truth they encode.

Used by ``vpcpath demo`` (logs for the sample estate), by the byte-exact tests and by the
flows benchmark. The truth is computed by brute force, independent of the engine.
"""

from vpcpath.flows.synthetic.generator import generate
from vpcpath.flows.synthetic.truth import Truth

__all__ = ["Truth", "generate"]
