"""The pure domain core: plain dataclasses and functions, no I/O."""
