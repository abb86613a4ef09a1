"""gunicorn's settings for a Gaoxin web node: `gunicorn -c deploy/gunicorn.conf.py gaoxin.wsgi`
(the systemd unit and the compose file both run it so). Every value can be changed through the
environment, so that one file serves every node."""

from __future__ import annotations

import multiprocessing
import os

# Where this node listens: the reverse proxy (nginx, a load balancer) sends requests here.
bind = os.environ.get("GAOXIN_BIND", "127.0.0.1:8000")
# Sync workers: each request is a Django view of a few database queries; two a core plus one
# is gunicorn's own rule of thumb. Sessions, the figures' cache and the queue are shared
# (PostgreSQL, Redis), so any worker of any node answers any request.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A page never takes this long; an export of many rows is a background job (gaoxin worker).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (and a random share more, so that they are not
# all replaced at once): memory a library keeps does not grow without end.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Load the application once in the master, so that workers fork with it: less memory, faster
# restarts of a worker. The database connections are opened in the workers (Django does so on
# the first query), never shared across the fork.
preload_app = True
# The proxy in front terminates TLS and says so in X-Forwarded-Proto (settings.py trusts it in
# production); the addresses it may speak from:
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "gaoxin-web"
