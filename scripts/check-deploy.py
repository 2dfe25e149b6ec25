#!/usr/bin/env python3
"""Checks the deployment files and the OpenAPI documents without a Docker engine or a cluster:
docker-compose.yml is parsed and its references checked (every dependency exists, every service is
built from deploy/Dockerfile or an image, health checks present, no secret given a default), the
Kubernetes manifests parse and each Deployment has probes, every service's OpenAPI document is
validated against the OpenAPI 3.0 specification, the Prometheus alert rules and the Grafana dashboard
parse and name only metric families the services export. Prints 'N passed, N failed'."""
import glob, json, os, re, sys
import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

root = os.path.join(os.path.dirname(__file__), "..")
checks = []


def check(name, ok, detail=""):
    checks.append(ok)
    print(("ok   " if ok else "FAIL ") + name + (f": {detail}" if detail and not ok else ""))


compose = yaml.safe_load(open(os.path.join(root, "docker-compose.yml")))
services = compose.get("services", {})
check("compose defines kafka, postgres and the four services",
      {"kafka", "postgres", "intake", "smart-review", "credit", "notification"} <= set(services))
for name, service in services.items():
    check(f"compose {name}: image or build", "image" in service or "build" in service)
    for dependency in (service.get("depends_on") or {}):
        check(f"compose {name}: depends on existing {dependency}", dependency in services)
    build = service.get("build")
    if build:
        check(f"compose {name}: Dockerfile exists", os.path.exists(os.path.join(root, build["dockerfile"])))
    if name in ("intake", "smart-review", "credit", "notification", "kafka", "postgres"):
        check(f"compose {name}: health check", "healthcheck" in service)
    for key, value in (service.get("environment") or {}).items():
        if "PASSWORD" in key or "TOKEN" in key or "KEY" in key:
            check(f"compose {name}: {key} has no default", ":?" in str(value), str(value))

for path in glob.glob(os.path.join(root, "deploy/k8s/*.yaml")):
    documents = [d for d in yaml.safe_load_all(open(path)) if d]
    check(f"{os.path.basename(path)} parses ({len(documents)} objects)", len(documents) > 0)
    for d in documents:
        if d["kind"] == "Deployment":
            container = d["spec"]["template"]["spec"]["containers"][0]
            check(f"k8s {d['metadata']['name']}: readiness and liveness probes",
                  "readinessProbe" in container and "livenessProbe" in container)

for path in sorted(glob.glob(os.path.join(root, "Services/*/Resources/*.yaml"))):
    try:
        spec, _ = read_from_filename(path)
        validate(spec)
        check(f"OpenAPI {os.path.basename(path)} is valid", True)
    except Exception as error:  # the validator's message names the path in the document
        check(f"OpenAPI {os.path.basename(path)} is valid", False, str(error).splitlines()[0])

# Metric families the code defines (swift-metrics labels), plus those Prometheus derives from them.
sources = "".join(open(f, encoding="utf-8").read() for f in glob.glob(os.path.join(root, "Shared/**/*.swift"), recursive=True)
                  + glob.glob(os.path.join(root, "Services/**/*.swift"), recursive=True))
exported = set(re.findall(r'(?:label:|static let metric =) "([a-z_:][a-z0-9_:]*)"', sources))
exported |= {"http_server_requests_total", "http_server_request_duration_seconds", "up"}  # Hummingbird's, renamed; Prometheus's own


def families(expr):
    """The metric names of a PromQL expression: identifiers that are neither functions, keywords,
    label lists (`by (...)`), label matchers (`{...}`) nor ranges (`[5m]`)."""
    expr = re.sub(r"\b(by|without|on|ignoring)\s*\([^)]*\)", " ", expr)
    expr = re.sub(r"\{[^}]*\}|\[[^\]]*\]", " ", expr)
    names = set(re.findall(r"\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()", expr))
    return {re.sub(r"_bucket$", "", n) for n in names if n not in {"and", "or", "unless", "bool", "offset"}}


rules = yaml.safe_load(open(os.path.join(root, "deploy/prometheus/alerts.yaml")))
for group in rules["groups"]:
    for rule in group["rules"]:
        name = rule.get("alert", "?")
        check(f"alert {name}: expr, severity and summary", "expr" in rule and "severity" in rule.get("labels", {}) and "summary" in rule.get("annotations", {}))
        unknown = families(rule["expr"]) - exported
        check(f"alert {name}: exported metrics only", not unknown, ", ".join(sorted(unknown)))
dashboard = json.load(open(os.path.join(root, "deploy/grafana/medsup.json"), encoding="utf-8"))
check("grafana dashboard has panels", len(dashboard.get("panels", [])) > 0)
for panel in dashboard["panels"]:
    unknown = set().union(*(families(t["expr"]) for t in panel["targets"])) - exported
    check(f"grafana panel '{panel['title']}': exported metrics only", not unknown, ", ".join(sorted(unknown)))

passed = sum(checks)
print(f"{passed} passed, {len(checks) - passed} failed")
sys.exit(0 if passed == len(checks) else 1)
