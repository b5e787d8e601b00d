"""Extracts the response examples the ClickUp conformance test reads from ClickUp's full OpenAPI
document into openapi-examples.json (committed, so the test runs without the 2 MB spec).
Usage: python3 extract-examples.py /path/to/clickup-openapi-v2.json"""
import json
import sys

OPERATIONS = [
    ("/v2/list/{list_id}", "get"), ("/v2/list/{list_id}/task", "get"), ("/v2/list/{list_id}/task", "post"),
    ("/v2/space/{space_id}/folder", "get"), ("/v2/space/{space_id}/tag", "get"), ("/v2/task/{task_id}/comment", "get"),
    ("/v2/team", "get"), ("/v2/team/{team_Id}/task", "get"), ("/v2/team/{team_Id}/time_entries", "get"),
    ("/v2/team/{team_id}/space", "get"), ("/v2/team/{team_id}/webhook", "get"), ("/v2/team/{team_id}/webhook", "post"),
    ("/v2/task/{task_id}", "put"), ("/v2/task/{task_id}/time_in_status", "get"), ("/v2/task/bulk_time_in_status/task_ids", "get"),
]

spec = json.load(open(sys.argv[1]))
out = {
    "source": "ClickUp API v2 OpenAPI 3.1 (2025-06-17 publication): the 2xx response examples of the operations the emulator's conformance test checks, extracted verbatim. Regenerate from the full spec with packages/sandbox/src/clickup/testing/extract-examples.py.",
    "paths": {},
}
for path, method in OPERATIONS:
    op = spec["paths"][path][method]
    code, resp = next((c, r) for c, r in op["responses"].items() if c.startswith("2"))
    out["paths"].setdefault(path, {})[method] = {"responses": {code: {"content": {"application/json": resp["content"]["application/json"]}}}}
json.dump(out, open(__file__.replace("extract-examples.py", "openapi-examples.json"), "w"), indent=1)
