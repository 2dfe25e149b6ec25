#!/usr/bin/env python3
"""Checks the deployment files and the OpenAPI documents without a Docker engine or a cluster:
docker-compose.yml is parsed and its references checked (every dependency exists, every service is
built from deploy/Dockerfile or an image, health checks present, no secret given a default), the
Kubernetes manifests parse and each Deployment has probes, and every service's OpenAPI document is
validated against the OpenAPI 3.0 specification. Prints 'N passed, N failed'."""
import glob, os, sys
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

passed = sum(checks)
print(f"{passed} passed, {len(checks) - passed} failed")
sys.exit(0 if passed == len(checks) else 1)
