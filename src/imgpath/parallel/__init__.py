"""Where simulations run: in this process, on a local process pool, or on a Dask cluster."""
