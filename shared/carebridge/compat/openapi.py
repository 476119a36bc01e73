"""Is each service's HTTP API still compatible with an older one?

Clients (the other services, the staff apps, integrations) are deployed on
their own schedule, so an operation, once published, keeps working for them:

- it is not removed, unless the same operation exists under a newer version
  of its path (`/v2/appointments` succeeds `/appointments`, which counts as
  version 1, and `/v1/appointments`);
- a 2xx answer keeps its status and every response field, with its type and
  format, and a field that was never null stays so;
- no request field or parameter becomes required (a new required one counts),
  and the body does not refuse a field it accepted (when it forbids
  unknown fields), a value of its enumeration, or a null it accepted.

Anything else (new operations, new optional fields, new response fields) is
compatible. A breaking change is a new versioned path beside the old one.
Operations are matched by method and path, path parameters by position (a
renamed `{id}` is the same operation)."""
from __future__ import annotations

import re

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
_VERSION = re.compile(r"^v(\d+)$")


def _shape(path: str) -> tuple[int, str]:
    """(version, path without its version segment, parameters unnamed)."""
    segments = [segment for segment in path.strip("/").split("/") if segment]
    version = 1
    if segments and (match := _VERSION.match(segments[0])):
        version = int(match.group(1))
        segments = segments[1:]
    return version, "/" + "/".join("{}" if s.startswith("{") else s for s in segments)


def _operations(document: dict) -> dict[tuple[str, int, str], tuple[str, dict, list]]:
    """(method, version, shape) -> (path, operation, the path's own parameters)."""
    found = {}
    for path, item in document.get("paths", {}).items():
        version, shape = _shape(path)
        for method in METHODS:
            if method in item:
                found[(method, version, shape)] = (path, item[method], item.get("parameters", []))
    return found


class _Schemas:
    """Resolves `$ref`s within one document."""

    def __init__(self, document: dict) -> None:
        self.document = document

    def resolve(self, node: dict | None, seen: frozenset = frozenset()) -> tuple[dict, frozenset]:
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if ref in seen:
                return {}, seen  # a recursive schema: compared once
            seen = seen | {ref}
            target = self.document
            for part in ref.lstrip("#/").split("/"):
                target = target.get(part, {})
            node = target
        return node or {}, seen

    def object_parts(self, node: dict, seen: frozenset) -> tuple[dict, set, bool]:
        """(properties, required, refuses unknown fields), allOf merged."""
        properties, required = dict(node.get("properties", {})), set(node.get("required", []))
        closed = node.get("additionalProperties") is False
        for part in node.get("allOf", []):
            part, part_seen = self.resolve(part, seen)
            more, more_required, more_closed = self.object_parts(part, part_seen)
            properties.update(more)
            required |= more_required
            closed = closed or more_closed
        return properties, required, closed


def _kind(node: dict) -> str:
    if "properties" in node or "allOf" in node:
        return "object"
    kind = node.get("type", "any")
    return f"{kind}/{node['format']}" if "format" in node else kind


def _json_schema(content: dict | None) -> dict | None:
    for media_type, body in (content or {}).items():
        if media_type == "application/json" or media_type.endswith("+json"):
            return body.get("schema")
    return None


class _Comparison:
    def __init__(self, old_document: dict, new_document: dict) -> None:
        self.old, self.new = _Schemas(old_document), _Schemas(new_document)

    def response(self, path: str, old_node, new_node, old_seen=frozenset(), new_seen=frozenset()) -> list[str]:
        old_node, old_seen = self.old.resolve(old_node, old_seen)
        new_node, new_seen = self.new.resolve(new_node, new_seen)
        if not old_node:
            return []
        label = f"response field `{path}`" if path else "the response body"
        if _kind(old_node) != _kind(new_node):
            return [f"{label} changed type from {_kind(old_node)} to {_kind(new_node)}"]
        problems = []
        if new_node.get("nullable") and not old_node.get("nullable"):
            problems.append(f"{label} may now be null")
        if "items" in old_node:
            problems += self.response(f"{path}[]", old_node["items"], new_node.get("items"), old_seen, new_seen)
        old_properties, _, _ = self.old.object_parts(old_node, old_seen)
        new_properties, _, _ = self.new.object_parts(new_node, new_seen)
        for name, node in old_properties.items():
            field = f"{path}.{name}" if path else name
            if name not in new_properties:
                problems.append(f"response field `{field}` was removed")
            else:
                problems += self.response(field, node, new_properties[name], old_seen, new_seen)
        return problems

    def request(self, path: str, old_node, new_node, old_seen=frozenset(), new_seen=frozenset(),
                root: str = "the request body") -> list[str]:
        old_node, old_seen = self.old.resolve(old_node, old_seen)
        new_node, new_seen = self.new.resolve(new_node, new_seen)
        label = f"request field `{path}`" if path else root
        if old_node and _kind(old_node) != _kind(new_node) and _kind(new_node) != "any":
            return [f"{label} changed type from {_kind(old_node)} to {_kind(new_node)}"]
        problems = []
        if old_node.get("nullable") and not new_node.get("nullable"):
            problems.append(f"{label} no longer accepts null")
        if "enum" in old_node and "enum" in new_node:
            refused = [value for value in old_node["enum"] if value not in new_node["enum"]]
            if refused:
                problems.append(f"{label} no longer accepts {', '.join(map(str, refused))}")
        if "items" in new_node:
            problems += self.request(f"{path}[]", old_node.get("items"), new_node["items"], old_seen, new_seen)
        old_properties, old_required, _ = self.old.object_parts(old_node, old_seen)
        new_properties, new_required, new_closed = self.new.object_parts(new_node, new_seen)
        for name in sorted(new_required - old_required):
            field = f"{path}.{name}" if path else name
            problems.append(f"request field `{field}` was made required" if name in old_properties
                            else f"new request field `{field}` is required")
        for name, node in old_properties.items():
            field = f"{path}.{name}" if path else name
            if name in new_properties:
                problems += self.request(field, node, new_properties[name], old_seen, new_seen)
            elif new_closed:
                problems.append(f"request field `{field}` was removed (requests sending it are refused)")
        return problems

    def parameters(self, old_parameters: list, new_parameters: list) -> list[str]:
        def by_key(schemas: _Schemas, parameters: list) -> dict:
            resolved = (schemas.resolve(parameter)[0] for parameter in parameters)
            return {(p.get("in"), p.get("name")): p for p in resolved if p.get("in") != "path"}

        old, new = by_key(self.old, old_parameters), by_key(self.new, new_parameters)
        problems = []
        for (where, name), parameter in sorted(new.items(), key=lambda item: str(item[0])):
            if parameter.get("required") and not old.get((where, name), {}).get("required"):
                problems.append(f"{where} parameter `{name}` was made required" if (where, name) in old
                                else f"new {where} parameter `{name}` is required")
        for key, parameter in old.items():
            if key in new:
                problems += self.request("", parameter.get("schema"), new[key].get("schema"),
                                         root=f"{key[0]} parameter `{key[1]}`")
        return problems

    def operation(self, old_operation: dict, new_operation: dict, old_shared: list, new_shared: list) -> list[str]:
        problems = self.parameters(old_shared + old_operation.get("parameters", []),
                                   new_shared + new_operation.get("parameters", []))
        old_body, _ = self.old.resolve(old_operation.get("requestBody"))
        new_body, _ = self.new.resolve(new_operation.get("requestBody"))
        if new_body.get("required") and not old_body.get("required"):
            problems.append("a request body is now required")
        if new_body:
            problems += self.request("", _json_schema(old_body.get("content")), _json_schema(new_body.get("content")))
        for status, old_response in old_operation.get("responses", {}).items():
            if not str(status).startswith("2"):
                continue
            new_response = new_operation.get("responses", {}).get(status)
            if new_response is None:
                problems.append(f"it no longer answers {status}")
                continue
            old_response, _ = self.old.resolve(old_response)
            new_response, _ = self.new.resolve(new_response)
            problems += self.response("", _json_schema(old_response.get("content")),
                                      _json_schema(new_response.get("content")))
        return problems


def compare_documents(old_document: dict, new_document: dict) -> list[str]:
    """What makes `new_document` incompatible with `old_document`."""
    comparison = _Comparison(old_document, new_document)
    old_operations, new_operations = _operations(old_document), _operations(new_document)
    problems = []
    for key, (path, operation, shared) in sorted(old_operations.items()):
        method, version, shape = key
        label = f"{method.upper()} {path}"
        if key not in new_operations:
            successors = [k for k in new_operations if k[0] == method and k[2] == shape and k[1] > version]
            if not successors:
                problems.append(f"{label} was removed (keep it until a newer version of its path replaces it)")
            continue
        _new_path, new_operation, new_shared = new_operations[key]
        problems += [f"{label}: {problem} (put the change under a new version of the path)"
                     for problem in comparison.operation(operation, new_operation, shared, new_shared)]
    return problems


def compare_openapi(old: dict, new: dict) -> list[str]:
    """Both are descriptions from `describe.describe_openapi`."""
    problems = [f"the {service} service cannot build its API: {why}" for service, why in sorted(new["errors"].items())]
    problems += [f"the {service} service of the older revision cannot build its API, so it cannot be "
                 f"compared: {why}" for service, why in sorted(old["errors"].items())]
    for service, old_document in sorted(old["documents"].items()):
        new_document = new["documents"].get(service)
        if new_document is None:
            if service not in new["errors"]:
                problems.append(f"the {service} service's API was removed")
            continue
        problems += [f"{service}: {problem}" for problem in compare_documents(old_document, new_document)]
    return problems
