"""Speed and memory of dnt-desktop at clinic scale, each figure beside the floor of the
libraries underneath it (``python -m benchmarks``; see the README, section Performance).
"""
