"""drstui benchmarks: run by hand (`python -m bench`), not as timed tests in CI.

Linux only (CPU and memory are read from /proc). See bench/README.md.
"""
