"""Throws schemathesis's generated requests at every operation of a live Veritas server.

Usage: python3 schemathesis_run.py BASE_URL ADMIN_TOKEN REPORT_DIR [MAX_EXAMPLES]
Runs `st run` (schemathesis, a tool none of us wrote) on BASE_URL/api/openapi.json with an
admin bearer token, every phase (examples, coverage, fuzzing, stateful through the document's
links), and the checks: no 5xx, every response in its documented schema and among its
documented status codes. MAX_EXAMPLES (default 15) bounds the examples per operation so the
run takes a few minutes on two cores. Its JUnit report lands in REPORT_DIR. Afterwards the
server must still answer /health. Prints "ok" at the end.
"""
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request

base, token, report_dir = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
max_examples = sys.argv[4] if len(sys.argv) > 4 else "15"


def call(method, path, headers=None):
    request = urllib.request.Request(base + path, method=method, headers={"Authorization": f"Bearer {token}", **(headers or {})})
    with urllib.request.urlopen(request, timeout=10) as answer:
        body = answer.read()
        return answer, json.loads(body) if body and answer.headers.get("Content-Type", "").startswith("application/json") else None


def new_upload():
    metadata = "filename Y2xpcC5tcDQ=,show b3Blbg==,title VXBsb2FkZWQ="
    answer, _ = call("POST", "/api/v1/uploads", {"Tus-Resumable": "1.0.0", "Upload-Length": "4096", "Upload-Metadata": metadata})
    return answer.headers["Location"].rsplit("/", 1)[1]


# Real records for the operations no other operation leads to (generated ids would only ever
# meet 404s): an upload each for HEAD, PATCH and DELETE (with hostile Upload-Offset values and
# bodies), a poster, an enclosure and a private feed (with hostile Range values), a playlist.
_, episodes = call("GET", "/api/v1/shows/pod/episodes")
_, clips = call("GET", "/api/v1/shows/open/episodes")
_, feed = call("GET", "/api/v1/shows/open/feed")
_, playback = call("POST", f"/api/v1/episodes/{clips[0]['id']}/playback")
feed_token = feed["rss_url"].split("/podcasts/private/", 1)[1].split("/", 1)[0]
play_token = playback["hls_url"].split("/play/", 1)[1].split("/", 1)[0]
pinned = {
    "HEAD /api/v1/uploads/{id}": {"id": new_upload()},
    "PATCH /api/v1/uploads/{id}": {"id": new_upload()},
    "DELETE /api/v1/uploads/{id}": {"id": new_upload()},
    "GET /media/{asset}/poster.jpg": {"asset": clips[0]["asset_id"]},
    "GET /podcasts/{slug}/episodes/{file}": {"slug": "pod", "file": episodes[0]["id"] + ".m4a"},
    "GET /podcasts/private/{token}/feed.xml": {"token": feed_token},
    "GET /podcasts/private/{token}/episodes/{file}": {"token": feed_token, "file": clips[0]["id"] + ".m4a"},
    "GET /play/{token}/master.m3u8": {"token": play_token},
}
os.makedirs(report_dir, exist_ok=True)
config = os.path.join(report_dir, "schemathesis.toml")
with open(config, "w") as out:
    for name, parameters in pinned.items():
        values = ", ".join(f'{key} = "{value}"' for key, value in parameters.items())
        out.write(f'[[operations]]\ninclude-name = "{name}"\nparameters = {{ {values} }}\n\n')

st = shutil.which("st")
command = [st] if st else [sys.executable, "-m", "schemathesis.cli"]
command += [
    "--config-file", config,
    "run", base + "/api/openapi.json",
    "--checks", "not_a_server_error,response_schema_conformance,status_code_conformance",
    "--header", f"Authorization: Bearer {token}",
    "--max-examples", max_examples,
    # A fixed seed makes a failure reproducible; the report names the request that caused it.
    "--seed", "20261202",
    # One worker: CPython 3.11's ast.parse (which hypothesis calls to describe filters) is not
    # safe on several threads at once ("AST constructor recursion depth mismatch").
    "--workers", "1",
    "--request-timeout", "20",
    "--generation-database", "none",
    "--report", "junit",
    "--report-dir", report_dir,
    "--no-color",
]
started = time.monotonic()
hooks = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemathesis_hooks.py")
# Run in the report folder: schemathesis keeps a crash cache (`.schemathesis/`) where it runs.
result = subprocess.run(command, capture_output=True, text=True, cwd=report_dir, env=dict(os.environ, SCHEMATHESIS_HOOKS=hooks))
elapsed = time.monotonic() - started
with open(os.path.join(report_dir, "schemathesis.txt"), "w") as log:
    log.write(result.stdout + result.stderr)
print(result.stdout[-20000:])
print(result.stderr[-5000:], file=sys.stderr)
print(f"schemathesis took {elapsed:.0f} s, exit {result.returncode}")

with urllib.request.urlopen(base + "/health", timeout=10) as answer:
    assert answer.status == 200 and json.load(answer) == {"status": "ok"}, "the server does not answer /health"
assert result.returncode == 0, "schemathesis found failures (above)"
print("ok")
