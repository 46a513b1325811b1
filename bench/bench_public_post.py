"""The public concern form's POST rate on the Procfile's server, as a share of a bare Django
view on the same server (issue 12: goal at least 50 %). Prints figures; asserts nothing.

    .venv/bin/python bench/bench_public_post.py \
        --database-url postgres://postgres@127.0.0.1:5432/bridge_bench_100k --seconds 10

It starts gunicorn exactly as the Procfile does (bridge.gunicorn_conf, 2 sync workers, the
access log on), with DEBUG off, production settings (persistent connections), Redis as cache
and broker, and one extra URL, /bench/bare/, a view that returns "ok" through the same
middleware (bench/bench_urls.py). Clients in separate processes then send, for --seconds each:
GETs of the bare view; anonymous concern submissions (the form's fields, a CSRF token, no
contact details); and submissions with an e-mail address (an acknowledgement in the outbox,
handed to the broker). The rate limit is raised for the run so that every POST is accepted;
each submission is checked to answer 302 to the "submitted" page.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST, PORT = "127.0.0.1", 8350


def _request(method: str, path: str, body: str = "", headers: dict | None = None):
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    # As behind the TLS proxy production runs behind (BEHIND_TLS_PROXY=1).
    conn.request(method, path, body=body, headers={"X-Forwarded-Proto": "https", **(headers or {})})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def _client(kind: str, seconds: float, form: dict, out: mp.Queue) -> None:
    """One client: as many requests as it can for `seconds`; puts (done, errors)."""
    try:
        out.put(_run_client(kind, seconds, form))
    except Exception as exc:  # say what went wrong rather than leave the parent waiting
        out.put((0, 1, repr(exc)))


def _run_client(kind: str, seconds: float, form: dict) -> tuple:
    headers, body = {}, ""
    if kind != "bare":
        response, html = _request("GET", "/en/concerns/new/")
        cookies = "; ".join(v.split(";", 1)[0] for k, v in response.getheaders() if k.lower() == "set-cookie")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if token is None or "csrftoken=" not in cookies:
            raise RuntimeError(f"no CSRF token in the form page ({response.status}; cookies: {cookies!r})")
        token = token.group(1).decode()
        data = dict(form, csrfmiddlewaretoken=token)
        if kind == "email":
            data.update(contact_method="email", email="resident@example.org")
        body = urlencode(data)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookies,
            "Referer": f"https://{HOST}:{PORT}/en/concerns/new/",
        }
    done = errors = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if kind == "bare":
            response, _ = _request("GET", "/bench/bare/")
            ok = response.status == 200
        else:
            response, _ = _request("POST", "/en/concerns/new/", body, headers)
            ok = response.status == 302 and "/submitted/" in (response.getheader("Location") or "")
        done += ok
        errors += not ok
        if not ok and errors == 1:
            first_error = f"{response.status} {response.getheader('Location')}"
    return (done, errors, first_error if errors else "")


def measure(kind: str, seconds: float, clients: int, form: dict) -> dict:
    out: mp.Queue = mp.Queue()
    procs = [mp.Process(target=_client, args=(kind, seconds, form, out)) for _ in range(clients)]
    started = time.perf_counter()
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - started
    done = sum(r[0] for r in results)
    problems = sorted({r[2] for r in results if r[2]})
    if problems:
        print(f"    {kind}: {problems}")
    return {"requests": done, "errors": sum(r[1] for r in results), "per_second": round(done / elapsed, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bridge_bench_100k")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()

    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench.bench_settings",
        PYTHONPATH=str(ROOT),
        DEBUG="0",
        SECRET_KEY="bench-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=args.database_url,
        CACHE_URL=args.cache_url,
        CELERY_BROKER_URL=args.broker_url,
        BRIDGE_CELERY_QUEUE="bench-post",  # nobody consumes it; purged at the end
        FEEDBACK_SUBMIT_RATE="100000000/h",
        BEHIND_TLS_PROXY="1",
    )
    env.pop("BRIDGE_TESTING", None)
    sys.path.insert(0, str(ROOT))
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings

    from feedback.models import Concern, ConcernCategory

    form = {
        "category": ConcernCategory.objects.get(slug="safety").pk,
        "text": "Cars drive very fast past the school on Penn Avenue every morning.",
        "community": "",
        "place": "Penn Avenue",
        "contact_method": "none",
        "email": "",
        "phone": "",
        "language": "en",
        "website": "",
    }
    # Production serves hashed static files (whitenoise's manifest): collect them first.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    before = Concern.objects.count()
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    log = open(ROOT / "bench" / "results" / "public-post-gunicorn.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "bridge.wsgi",
            "--config",
            "python:bridge.gunicorn_conf",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            "2",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                if _request("GET", "/bench/bare/")[0].status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not start: see bench/results/public-post-gunicorn.log")
        print(
            f"Public concern POST rate · gunicorn 2 sync workers (Procfile) · {args.clients} client processes · "
            f"{args.seconds:.0f} s each · CONN_MAX_AGE={settings.DATABASES['default']['CONN_MAX_AGE']} · "
            f"{os.cpu_count()} cores"
        )
        measure("bare", 2, args.clients, form)  # warm both workers
        bare = measure("bare", args.seconds, args.clients, form)
        anonymous = measure("anonymous", args.seconds, args.clients, form)
        email = measure("email", args.seconds, args.clients, form)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)
        log.close()
    made = Concern.objects.count() - before
    print(f"  bare Django view (GET /bench/bare/): {bare['per_second']}/s ({bare['errors']} errors)")
    for name, row in (("anonymous concern", anonymous), ("concern with an e-mail address", email)):
        share = round(100 * row["per_second"] / bare["per_second"])
        print(
            f"  {name} (POST, 302): {row['per_second']}/s, {share} % of the bare view ({row['errors']} errors)"
        )
    print(f"  concerns made: {made} (sent and answered 302: {anonymous['requests'] + email['requests']})")
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "public-post.json").write_text(
        json.dumps({"bare": bare, "anonymous": anonymous, "email": email, "concerns_made": made}, indent=2)
    )
    # Leave the benchmark database as it was: the concerns (and their outbox rows) go.
    from messaging.models import Message

    Concern.objects.filter(text=form["text"], place="Penn Avenue").delete()
    Message.objects.filter(address="resident@example.org").delete()


if __name__ == "__main__":
    main()
