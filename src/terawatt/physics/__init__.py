"""Physics layer: pure, numpy-vectorised models in SI units (solar, orbit, thermal, launch...)."""
