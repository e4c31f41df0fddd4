"""Terraform as a source: the JSON of ``terraform show -json`` (a saved plan or a state)."""

from vpcpath.sources.terraform.document import EXPECTED, TfDocument, TfInstance, read_document
from vpcpath.sources.terraform.loader import MODELLED, TerraformSource, build_source, load_terraform

__all__ = [
    "EXPECTED",
    "MODELLED",
    "TerraformSource",
    "TfDocument",
    "TfInstance",
    "build_source",
    "load_terraform",
    "read_document",
]
