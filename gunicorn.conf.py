"""gunicorn settings, read from the working directory: `gunicorn -c gunicorn.conf.py`.

Everything comes from the environment: BIND (or PORT), WEB_CONCURRENCY (worker processes),
GUNICORN_THREADS, GUNICORN_TIMEOUT, FORWARDED_ALLOW_IPS (the proxies whose X-Forwarded-*
headers count). Static files are served by WhiteNoise from inside the app.
"""

import multiprocessing
import os

wsgi_app = "inventory_site.wsgi"
# Behind a proxy or load balancer, the app listens on every interface of its host.
bind = os.environ.get("BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On SIGTERM (a deploy), requests under way get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access and error logs on stdout/stderr, for the process manager or container runtime.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'
# gunicorn's control socket lives at one path per user: several servers on one host would
# share it. Nothing here uses it.
control_socket_disable = True


def post_worker_init(worker):
    """Before a worker takes requests, draw one small PDF so the first invoice a customer
    asks for does not pay for loading WeasyPrint and its fonts (orders.documents.warm_up).
    DOCUMENTS_WARM_UP=off skips it; a failure is logged and the worker serves anyway."""
    if os.environ.get("DOCUMENTS_WARM_UP", "on").lower() in {"off", "0", "false", "no"}:
        return
    try:
        import gc

        from orders.documents import warm_up

        worker.log.info("Documents warmed up in %.2f s", warm_up())
        # What the app and WeasyPrint loaded stays for the worker's life: out of the
        # collector's sight, so no full collection walks it again in the middle of a request.
        gc.collect()
        gc.freeze()
    except Exception:  # a worker without a warm PDF engine still serves
        worker.log.exception("Documents warm-up failed; the first PDF will be slower")
