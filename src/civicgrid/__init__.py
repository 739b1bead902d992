"""civicgrid: city grid governance and benchmarking."""

__version__ = "0.1.0"
