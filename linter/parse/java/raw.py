"""Requests written against the Stripe API by URL (`HttpRequest.newBuilder(URI.create(
"https://api.stripe.com/v1/customers/" + id)).POST(...)`, OkHttp, Unirest, Apache HttpClient):
every string literal holding such a URL, its path read through concatenation and
`String.format`, its verb and account from the request the URL is used in."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stripe_perm_lint.facts import RawRequest
from stripe_perm_lint.parse.java.syntax import FUNCTIONS, enclosing, name_of, path_text, string_value, text, walk
from stripe_perm_lint.parse.stripe_urls import request_account
from stripe_perm_lint.parse.vocabulary import OAUTH_KEY_TEXT, STRIPE_API_URL

if TYPE_CHECKING:
    from stripe_perm_lint.parse.java.parser import JavaFile

_VERBS = ("POST", "DELETE", "PUT", "PATCH", "GET")
# Classes whose name says the verb: Apache's `new HttpPost(url)`, `HttpDelete`.
_VERB_CLASS = re.compile(r"^Http(Post|Delete|Put|Patch|Get)$")
_ACCOUNT_HEADER = re.compile(r"stripe[-_]account", re.IGNORECASE)
_STATEMENTS = ("expression_statement", "local_variable_declaration", "return_statement", "field_declaration",
               "try_with_resources_statement", "resource")


def url_requests(file: "JavaFile") -> list[RawRequest]:
    out = []
    for node in walk(file.root):
        literal = string_value(node)
        if literal is None or not STRIPE_API_URL.match(literal):
            continue
        whole = node
        while whole.parent is not None and whole.parent.type in ("binary_expression", "parenthesized_expression"):
            whole = whole.parent
        if whole.parent is not None and whole.parent.type == "argument_list" and \
                name_of(whole.parent.parent) in ("format", "formatted"):
            whole = whole.parent.parent
        url = path_text(whole, file.names.constants) or literal
        match = STRIPE_API_URL.match(url)
        path = (match.group("path") or "/") if match else "/"
        if not path.startswith(("/v1/", "/v2/")):
            continue
        statements = _request_statements(node)
        verb = next((found for s in statements for found in [_verb(s)] if found), "GET")
        window = " ".join(text(s) for s in statements)
        installing = _ACCOUNT_HEADER.search(window) or OAUTH_KEY_TEXT.search(window)
        out.append(RawRequest(verb, path, file.pos(node), request_account(path, "installing" if installing else "unknown")))
    return out


def _request_statements(node) -> list:
    """The statement holding the URL and, when it only names it (`URL u = new URL("...")`), the
    later statements of the same function that use that name, and so on for what they declare
    (`conn = u.openConnection(); conn.setRequestMethod("POST")`), a few steps deep."""
    statement = node
    while statement is not None and statement.type not in _STATEMENTS:
        statement = statement.parent
    if statement is None:
        return []
    scope = enclosing(statement, FUNCTIONS + ("class_body", "program"))
    later = [s for s in walk(scope) if s.type in _STATEMENTS and s.start_byte > statement.end_byte] if scope else []
    found, names = [statement], _declared(statement)
    for _ in range(3):
        users = [s for s in later if s not in found and any(n.type == "identifier" and text(n) in names for n in walk(s))]
        found += users
        names = {name for s in users for name in _declared(s)}
        if not names:
            break
    return found


def _declared(statement) -> set[str]:
    if statement.type not in ("local_variable_declaration", "field_declaration", "resource"):
        return set()
    return {text(d.child_by_field_name("name")) for d in statement.children_by_field_name("declarator")} | (
        {text(statement.child_by_field_name("name"))} if statement.type == "resource" else set())


def _verb(statement) -> str | None:
    """The verb a request statement names: `.method("POST", ...)`, `setRequestMethod("DELETE")`,
    `.POST(body)` (java.net.http), `.post(body)` (OkHttp), `Unirest.post(url)`, `new HttpPost(url)`."""
    for node in walk(statement):
        if node.type == "method_invocation":
            name = name_of(node)
            if name.upper() in _VERBS and (name.isupper() or name != "put" or len(node.child_by_field_name("arguments").named_children) < 2):
                return name.upper()
            if name in ("method", "setRequestMethod"):
                for arg in node.child_by_field_name("arguments").named_children:
                    if (string_value(arg) or "").upper() in _VERBS:
                        return string_value(arg).upper()
        elif node.type == "object_creation_expression":
            found = _VERB_CLASS.match(text(node.child_by_field_name("type")))
            if found:
                return found.group(1).upper()
    return None
