#!/usr/bin/env python3
"""A client of the service-recovery protocol in another language, as CI runs it.

It does what a help desk written in Python (or PHP, Ruby, Java) would do:

1. validates every conformance fixture in tests/fixtures/protocol/ against the JSON
   Schemas committed under schemas/ (the commands, actors, stored events, policies and
   rejections inside each exchange, and the request and response envelopes when their
   schemas are there: protocol_request and protocol_response);
2. spawns the JSON-lines adapter (examples/json_lines.rs) as a subprocess, replays
   every fixture file end to end through it, one request per line, keeping each case's
   history itself (what it sends next is what it sent before plus the events it got
   back), and checks every response against the fixture.

Usage: check.py ADAPTER [ARGS...]   for example
       check.py target/debug/examples/json_lines

The standard library and the `jsonschema` package (from PyPI) are all it needs.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "protocol"
SCHEMAS = ROOT / "schemas"
POLICIES = FIXTURES / "policies.json"

# Envelope schemas, under the names they may be committed as.
REQUEST_SCHEMAS = ("protocol_request", "request")
RESPONSE_SCHEMAS = ("protocol_response", "response")


def fixture_files():
    return sorted(p for p in FIXTURES.glob("*.json") if p.name != POLICIES.name)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class Schemas:
    """The committed schemas, each compiled once."""

    def __init__(self):
        import jsonschema

        self.jsonschema = jsonschema
        self.validators = {}
        for path in sorted(SCHEMAS.glob("*.schema.json")):
            schema = load(path)
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            self.validators[path.name[: -len(".schema.json")]] = cls(schema)

    def first(self, names):
        return next((n for n in names if n in self.validators), None)

    def check(self, name, value, where, errors):
        validator = self.validators.get(name)
        if validator is None:
            errors.append(f"schemas/{name}.schema.json is missing (needed for {where})")
            return
        for error in validator.iter_errors(value):
            path = "/".join(str(p) for p in error.absolute_path)
            errors.append(f"{where}: not a valid {name} at /{path}: {error.message}")


def validate_fixtures():
    if not SCHEMAS.is_dir():
        print(f"SKIP schema validation: {SCHEMAS.relative_to(ROOT)}/ does not exist in this checkout")
        return 0
    schemas = Schemas()
    errors = []
    for name, policy in load(POLICIES).items():
        schemas.check("policy", policy, f"policies.json: {name}", errors)
    request_schema = schemas.first(REQUEST_SCHEMAS)
    response_schema = schemas.first(RESPONSE_SCHEMAS)
    if request_schema is None or response_schema is None:
        print("note: no envelope schema (protocol_request / protocol_response) yet; "
              "checking the parts of each exchange")
    checked = 0
    for path in fixture_files():
        for i, exchange in enumerate(load(path)["exchanges"]):
            where = f"{path.name}, exchange {i}"
            response = exchange["response"]
            request = exchange.get("request")
            # Requests that earn an error are bad on purpose: they are not checked.
            if request is not None and response["outcome"] != "error":
                if request_schema:
                    schemas.check(request_schema, request, where, errors)
                if "actor" in request:
                    schemas.check("actor", request["actor"], where, errors)
                if "command" in request:
                    schemas.check("command", request["command"], where, errors)
                for event in request.get("history") or []:
                    schemas.check("stored_event", event, where, errors)
            if response_schema:
                schemas.check(response_schema, response, where, errors)
            if response["outcome"] == "accepted":
                for event in response["events"]:
                    schemas.check("stored_event", event, where, errors)
            if response["outcome"] == "rejected":
                schemas.check("rejection", response["rejection"]["details"], where, errors)
            if response["outcome"] == "violated" and response["violation"]["rejection"]:
                schemas.check("rejection", response["violation"]["rejection"]["details"],
                              where, errors)
            for action in response.get("actions", []):
                if action["blocked"] is not None:
                    schemas.check("rejection", action["blocked"]["details"], where, errors)
            checked += 1
    for error in errors[:50]:
        print("FAIL", error)
    print(f"schemas: {checked} exchanges checked against {len(schemas.validators)} schemas, "
          f"{len(errors)} problem(s)")
    return len(errors)


class Adapter:
    """The JSON-lines adapter as a subprocess: one line in, one line out."""

    def __init__(self, command):
        self.process = subprocess.Popen(
            command + [str(POLICIES)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )

    def send(self, line):
        if "\n" in line:
            raise ValueError("a request must fit on one line")
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise RuntimeError("the adapter closed its output")
        return json.loads(answer)

    def close(self):
        self.process.stdin.close()
        return self.process.wait(timeout=30)


def same(response, expected):
    """Equal as JSON values; for errors, the outcome and the code: an error's message
    quotes the request's text (a column number, say), which depends on the encoder."""
    if expected.get("outcome") == "error":
        return (response.get("outcome"), response.get("protocol"), response.get("error", {}).get("code")) == (
            "error", expected["protocol"], expected["error"]["code"])
    return response == expected


def replay(adapter):
    """Every fixture file through the adapter, the client keeping the history."""
    failures = 0
    exchanges = 0
    for path in fixture_files():
        fixture = load(path)
        kept = None  # the client's copy of the case's history; None until first seen
        problems = []
        for i, exchange in enumerate(fixture["exchanges"]):
            expected = exchange["response"]
            if "request_text" in exchange:
                response = adapter.send(exchange["request_text"])
            else:
                request = dict(exchange["request"])
                # A verify sends the history as an auditor found it (forged, on purpose,
                # in the fixtures) and changes nothing: it is sent as it is.
                if expected["outcome"] != "error" and request["request"] != "verify":
                    if kept is None:
                        kept = request.get("history") or []
                    elif (request.get("history") or []) != kept:
                        problems.append(f"exchange {i}: the fixture's history is not the one the client kept")
                    # Send the client's own history, not the fixture's copy.
                    request["history"] = kept or None
                    if request["request"] == "decide":
                        request["expected_version"] = len(kept)
                response = adapter.send(json.dumps(request, ensure_ascii=False, separators=(",", ":")))
                if response.get("outcome") == "accepted":
                    kept = kept + response["events"]
            exchanges += 1
            if not same(response, expected):
                problems.append(f"exchange {i}: expected {json.dumps(expected)[:300]}, "
                                f"got {json.dumps(response)[:300]}")
        status = "ok" if not problems else "FAIL"
        print(f"{status:4} {path.name}: {len(fixture['exchanges'])} exchanges ({fixture['description'][:60]}...)")
        for problem in problems:
            print("     ", problem)
        failures += len(problems)
    print(f"replay: {exchanges} exchanges through the JSON-lines adapter, {failures} failure(s)")
    return failures


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    failures = validate_fixtures()
    adapter = Adapter(argv[1:])
    try:
        failures += replay(adapter)
    finally:
        code = adapter.close()
    if code != 0:
        print(f"FAIL the adapter exited with {code}")
        failures += 1
    seeds = [p.name for p in fixture_files() if p.name.startswith("seed_")]
    if len(seeds) < 5:
        print(f"FAIL expected the five seed scenarios, found {seeds}")
        failures += 1
    print("python client:", "passed" if failures == 0 else f"{failures} failure(s)")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
