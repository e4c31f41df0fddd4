"""The audit checks; each module holds one family."""
