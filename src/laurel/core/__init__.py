"""Pure Python (and numpy) algorithms: no Django imports here, ever (tests/test_layers.py)."""
