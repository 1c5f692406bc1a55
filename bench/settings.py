"""The portal's real settings, plus one minimal view to compare throughput against."""

from accelerator.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
