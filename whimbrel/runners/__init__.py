"""Where coding runs: this process, local worker processes, or a Dask cluster."""
