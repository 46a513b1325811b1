"""gunicorn settings for the `web:` process (Procfile: gunicorn -c python:bridge.gunicorn_conf).

The access log writes every request line, and the printed address of a concern's status,
/<lang>/concerns/track/<code>/, carries its tracking code in the path (and in the Referer of
whatever that page loads next). RedactingLogger writes the same lines with the code replaced
by a marker, using the same rules as the application's log filter (bridge.logs).
"""

from gunicorn.glogging import Logger

from bridge.logs import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}


logger_class = RedactingLogger
