"""Uncertainty: sampling of the assumption ranges, sensitivity, and resumable sweeps."""
