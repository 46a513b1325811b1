"""gunicorn settings for the `web:` process (Procfile: gunicorn -c python:bridge.gunicorn_conf).

The access log writes every request line, and the printed address of a concern's status,
/<lang>/concerns/track/<code>/, carries its tracking code in the path (and in the Referer of
whatever that page loads next). RedactingLogger writes the same lines with the code replaced
by a marker, using the same rules as the application's log filter (bridge.logs).
"""

from gunicorn.glogging import Logger

from bridge.logs import redact

# What still runs in a request fits well inside these: pages take tens of milliseconds at a
# million contacts (bench/bench_dashboard.py), and a contacts export of more than
# EXPORT_INLINE_ROWS rows is a Celery job (dashboard/services.py), so no request streams for
# long. A worker silent for `timeout` seconds is killed and replaced; on a restart, requests in
# flight get `graceful_timeout` seconds to finish.
timeout = 30
graceful_timeout = 30
keepalive = 5  # seconds an idle keep-alive connection from the proxy stays open


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}


logger_class = RedactingLogger
