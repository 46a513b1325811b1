"""Settings for bench/bench_public_post.py: Bridge's own, plus one URL (bench/bench_urls.py)."""

from bridge.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
