"""Checks that turn analyses into findings, each with a stable id, and their money.

Entry point: ``vpcpath.audit.engine.audit(snapshot, prices, evidence)``. This package file
imports nothing, so that reading a finding's severity does not load every check.
"""
