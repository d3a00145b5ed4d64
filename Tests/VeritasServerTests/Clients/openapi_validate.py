"""Checks the OpenAPI document a live Veritas server serves, with openapi-spec-validator.

Usage: python3 openapi_validate.py BASE_URL
Fetches BASE_URL/api/openapi.json, requires a JSON answer, validates it as OpenAPI 3.1 (the
validator none of us wrote), checks that `servers` names BASE_URL and that every area of the
API the contract lists is described; prints "ok" at the end.
"""
import json
import sys
import urllib.request

from openapi_spec_validator import OpenAPIV31SpecValidator

base = sys.argv[1].rstrip("/")
with urllib.request.urlopen(base + "/api/openapi.json") as answer:
    assert answer.status == 200, answer.status
    content_type = answer.headers.get("Content-Type", "")
    assert content_type.startswith("application/json"), content_type
    document = json.load(answer)

errors = [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in OpenAPIV31SpecValidator(document).iter_errors()]
assert not errors, "\n".join(errors)
assert document["openapi"].startswith("3.1"), document["openapi"]
assert [server["url"] for server in document["servers"]] == [base], document["servers"]
assert "veritas.invalid" not in json.dumps(document), "a placeholder URL was left in the document"

schemes = document["components"]["securitySchemes"]
assert schemes["bearer"]["type"] == "http" and schemes["bearer"]["scheme"] == "bearer"
flows = schemes["oauth2"]["flows"]
for scope in ["read", "write", "follow", "admin:read", "admin:write"]:
    assert all(scope in flow["scopes"] for flow in flows.values()), scope
assert flows["password"]["tokenUrl"] == base + "/oauth/token"

paths = document["paths"]
required = {
    "catalog": [("get", "/api/v1/shows"), ("get", "/api/v1/shows/{id}"), ("get", "/api/v1/shows/{id}/episodes"), ("get", "/api/v1/episodes/{id}")],
    "playback": [("post", "/api/v1/episodes/{id}/playback")],
    "subscriptions": [("get", "/api/v1/plans"), ("get", "/api/v1/subscription")],
    "uploads": [("post", "/api/v1/uploads"), ("head", "/api/v1/uploads/{id}"), ("patch", "/api/v1/uploads/{id}"), ("delete", "/api/v1/uploads/{id}")],
    "assets": [("get", "/api/v1/assets/{id}")],
    "podcasts": [("get", "/api/v1/shows/{id}/feed"), ("delete", "/api/v1/shows/{id}/feed"), ("get", "/podcasts/{slug}/feed.xml")],
    "oauth": [("post", "/api/v1/apps"), ("get", "/oauth/authorize"), ("post", "/oauth/token"), ("post", "/oauth/revoke")],
    "accounts": [
        ("post", "/api/v1/accounts"), ("get", "/api/v1/accounts/verify_credentials"), ("get", "/api/v1/accounts/{id}"),
        ("get", "/api/v1/accounts/{id}/statuses"), ("post", "/api/v1/accounts/{id}/follow"), ("get", "/api/v1/accounts/relationships"),
        ("get", "/api/v1/accounts/lookup"),
    ],
    "statuses": [
        ("post", "/api/v1/statuses"), ("get", "/api/v1/statuses/{id}"), ("delete", "/api/v1/statuses/{id}"),
        ("get", "/api/v1/statuses/{id}/context"), ("post", "/api/v1/statuses/{id}/reblog"), ("post", "/api/v1/statuses/{id}/favourite"),
    ],
    "timelines": [("get", "/api/v1/timelines/home"), ("get", "/api/v1/timelines/public"), ("get", "/api/v1/timelines/tag/{hashtag}")],
    "notifications": [("get", "/api/v1/notifications")],
    "instance": [("get", "/api/v1/instance"), ("get", "/api/v2/instance")],
}
missing = [f"{area}: {method.upper()} {path}" for area, operations in required.items() for method, path in operations if method not in paths.get(path, {})]
assert not missing, "undocumented: " + ", ".join(missing)

operations = [operation for item in paths.values() for method, operation in item.items() if method in ("get", "post", "put", "patch", "delete", "head", "options")]
ids = [operation["operationId"] for operation in operations]
assert len(ids) == len(set(ids)), "operationIds repeat"
for operation in operations:
    for status, response in operation["responses"].items():
        if status.startswith(("4", "5")) and "$ref" in response:
            assert response["$ref"].startswith("#/components/responses/"), response
print(f"{len(operations)} operations")
print("ok")
