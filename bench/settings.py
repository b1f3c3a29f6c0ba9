"""Settings for bench/bench_public.py only: the site's settings plus the baseline view's URL.

Selected with DJANGO_SETTINGS_MODULE=bench.settings; production (cms.settings, cms.urls) never
routes to the baseline.
"""
from cms.settings import *  # noqa: F403 - the site exactly as deployed, plus one URL

ROOT_URLCONF = "bench.urls"
