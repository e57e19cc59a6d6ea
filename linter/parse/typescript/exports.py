"""Cross-file facts in TypeScript: the clients, string constants, Stripe base URLs and
event-returning functions a file exports.

The linker joins these with the imports and pending calls of other files (a client built in
``stripe.ts`` and used in ``billing.ts``). ES module exports (``export const``, ``export default``,
``export { a as b }``, TS ``export =``) and CommonJS (``module.exports``, ``exports.x``) are read.
"""

from __future__ import annotations

import dataclasses

from tree_sitter import Node

from stripe_perm_lint.facts import BaseUrlExport, ClientExport, ConstantExport, ImportBinding
from stripe_perm_lint.parse.typescript.accounts import client_account
from stripe_perm_lint.parse.typescript.fact_lists import FactLists
from stripe_perm_lint.parse.typescript.interpreter import Interpreter
from stripe_perm_lint.parse.typescript.literals import resolve_object, resolve_strings, static_string
from stripe_perm_lint.parse.typescript.syntax import call_arguments, object_entries, property_name, string_value, text, unwrap_types
from stripe_perm_lint.parse.typescript.type_values import type_value
from stripe_perm_lint.parse.vocabulary import EVENT_NAME, STRIPE_API_URL
from stripe_perm_lint.parse.typescript.wrappers import Wrappers
from stripe_perm_lint.parse.typescript.values import EventV, Func, Held, NodeClient, Shape, is_app_module

_MAX_TYPE_DEPTH = 4  # `Ctx.services.payments.client`: deeper member paths are not exported


def reexport_bindings(node: Node, source: Node) -> list[ImportBinding]:
    """`export {stripe} from './client'`, `export {default as stripe} from './client'` and
    `export * from './client'` pass names on: recorded as imports under the exported name, so
    the linker follows them like `import {stripe} from './client'; export {stripe}`."""
    module = string_value(source)
    if not module or not is_app_module(module):
        return []
    clauses = [c for c in node.named_children if c.type == "export_clause"]
    if not clauses:
        if any(c.type == "*" for c in node.children) and not any(c.type == "namespace_export" for c in node.named_children):
            return [ImportBinding("*", module, "*")]
        return []
    out = []
    for spec in clauses[0].named_children:
        name = spec.child_by_field_name("name")
        alias = spec.child_by_field_name("alias") or name
        if name is not None:
            out.append(ImportBinding(text(alias), module, text(name)))
    return out


class ExportFacts:
    """Exported clients (and client factories) and exported string constants."""

    def __init__(self, ev: Interpreter, out: FactLists, wrappers: Wrappers | None = None) -> None:
        self.ev = ev
        self.wrappers = wrappers
        self.decls = ev.decls
        self.out = out

    def export_statement(self, node: Node) -> None:
        source = node.child_by_field_name("source")
        if source is not None:
            self._reexport(node, source)
            return
        decl = node.child_by_field_name("declaration")
        is_default = any(c.type == "default" for c in node.children)
        if decl is not None:
            if decl.type in ("lexical_declaration", "variable_declaration"):
                for declarator in decl.named_children:
                    name = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
                    if name is not None and name.type == "identifier":
                        self._export_name(text(name), name)
            elif decl.type in ("interface_declaration", "type_alias_declaration"):
                name = decl.child_by_field_name("name")
                body = decl.child_by_field_name("body") or decl.child_by_field_name("value")
                if name is not None and body is not None:
                    self._export_type(text(name), body)
            elif decl.type in ("function_declaration", "generator_function_declaration"):
                name = decl.child_by_field_name("name")
                if is_default:
                    self._export_value("default", Func(decl.id))
                elif name is not None:
                    self._export_name(text(name), name)
            return
        value = node.child_by_field_name("value")
        if value is None and any(c.type == "=" for c in node.children):  # TS `export = stripe`
            is_default, value = True, node.named_children[-1] if node.named_children else None
        if is_default and value is not None:
            self._export_value("default", self.ev.value(value), value)
            return
        for clause in node.named_children:
            if clause.type != "export_clause":
                continue
            for spec in clause.named_children:
                name = spec.child_by_field_name("name")
                alias = spec.child_by_field_name("alias") or name
                if name is not None:
                    self._export_name(text(alias), name)

    def _reexport(self, node: Node, source: Node) -> None:
        self.out.reexports += reexport_bindings(node, source)

    def commonjs_export(self, node: Node) -> None:
        """`module.exports = x`, `module.exports = { a, b: c }`, `exports.a = x`, `module.exports.a = x`."""
        left = unwrap_types(node.child_by_field_name("left"))
        right = node.child_by_field_name("right")
        if left is None or right is None or left.type != "member_expression":
            return
        chain = text(left).replace(" ", "")
        if chain == "module.exports":
            obj = unwrap_types(right)
            if obj is not None and obj.type == "object":
                for key, value, _ in object_entries(obj):
                    if key is not None and value is not None:
                        self._export_value(key, self.ev.value(value), value)
            else:
                self._export_value("default", self.ev.value(right), right)
        elif chain.startswith(("exports.", "module.exports.")) and chain.count(".") == (
                1 if chain.startswith("exports.") else 2):
            self._export_value(chain.rsplit(".", 1)[1], self.ev.value(right), right)

    def _export_type(self, path: str, type_node: Node, depth: int = 0) -> None:
        """`export interface Ctx { stripe: Stripe; deps: { billing: Stripe } }`: each member path
        typed as a client is exported as `Ctx.stripe`, `Ctx.deps.billing`, so that a value typed
        `Ctx` in another file (a ``Pending`` marked ``typed``) is linked to it. Its account is
        unknown: the type says nothing of how the client was built."""
        value = type_value(self.ev, type_node)
        if isinstance(value, NodeClient):
            self.out.client_exports.append(ClientExport(path, "node", "unknown"))
            return
        body = self.decls.nodes.get(value.node_id) if isinstance(value, Shape) else None
        if body is None or depth >= _MAX_TYPE_DEPTH:
            return
        for sig in body.named_children:
            name = property_name(sig.child_by_field_name("name"))
            sig_type = sig.child_by_field_name("type")
            if sig.type == "property_signature" and name is not None and sig_type is not None:
                self._export_type(f"{path}.{name}", sig_type, depth + 1)

    def _export_name(self, exported: str, ident: Node) -> None:
        binding = self.decls.lookup(ident)
        if binding is None:
            return
        value = self.ev.binding_value(binding)
        init = binding.init if binding.kind == "const" and binding.path == () else None
        self._export_value(exported, value, init)

    def _export_client_fields(self, name: str, func: Func) -> None:
        """`export async function getStripeClient(id) { ...; return { client: new Stripe(token), id } }`
        (a shorthand `{ stripe, account }` or an arrow function's object too): each field of a
        returned object literal that holds a client is exported as a factory named
        `getStripeClient.client`, so that another file's `const { client } = await
        getStripeClient(id)` or `(await getStripeClient(id)).client` is linked to it."""
        node = self.decls.nodes.get(func.node_id)
        body = node.child_by_field_name("body") if node is not None else None
        if body is None:
            return
        returned = self.decls.return_values(body) if body.type == "statement_block" else [body]
        seen: set[str] = set()
        for ret in returned:
            obj = resolve_object(self.decls, ret)
            for key, value, _ in object_entries(obj) if obj is not None else ():
                if key is None or value is None or key in seen:
                    continue
                client = self.ev.value(value)
                if isinstance(client, NodeClient) and not client.segs:
                    seen.add(key)
                    account = client_account(client.installing or self.decls.ui_import, client.installing)
                    self.out.client_exports.append(ClientExport(f"{name}.{key}", "node", account, True))

    def _export_value(self, name: str, value: object, init: Node | None = None) -> None:
        if isinstance(value, Func) and self.wrappers is not None and value.node_id in self.wrappers.by_function:
            # `export async function stripeRequest(cred, path, init)`: other files call it (§6).
            shape = self.wrappers.by_function[value.node_id]
            self.out.wrapper_exports.append(dataclasses.replace(shape, name=name))
            return
        if isinstance(value, Held) and value.kind == "context":
            # `export const StripeContext = createContext(client)`: another file's
            # `useContext(StripeContext)` is a pending use of this name (``hooks``).
            value = value.value
        if isinstance(value, Func):
            func, value, returns_client = value, self.ev.returns(value), True
            if not isinstance(value, NodeClient):
                self._export_client_fields(name, func)
        else:
            returns_client = False
        if isinstance(value, NodeClient) and not value.segs:
            account = client_account(value.installing or self.decls.ui_import, value.installing)
            self.out.client_exports.append(ClientExport(name, "node", account, returns_client))
            return
        if isinstance(value, EventV) and returns_client:  # `export function constructStripeEvent(req)`
            self.out.event_source_exports.append(name)
            return
        if init is not None and not returns_client:
            url = static_string(self.decls, init)
            if STRIPE_API_URL.match(url):  # `export const STRIPE_API = ... ?? 'https://api.stripe.com/v1'`
                self.out.base_url_exports.append(BaseUrlExport(name, url))
                return
            items, imports, dynamic = resolve_strings(self.decls, init)
            if items and not imports and not dynamic:
                self.out.constant_exports.append(ConstantExport(name, tuple(v for v, _ in items)))
            keys = table_keys(self.decls, init)
            if any(EVENT_NAME.match(k) for k in keys):  # a handler table others dispatch on
                self.out.constant_exports.append(ConstantExport(name, keys, keys=True))


def table_keys(decls, init: Node) -> tuple[str, ...]:
    """The literal keys of a table: `{ 'invoice.paid': onPaid }` (`satisfies` / `as` allowed) or
    `new Map([['invoice.paid', onPaid]])`. Computed keys are skipped."""
    obj = resolve_object(decls, init)
    if obj is not None:
        return tuple(k for k, _, _ in object_entries(obj) if k is not None)
    node = unwrap_types(init)
    if node is None or node.type != "new_expression":
        return ()
    ctor = node.child_by_field_name("constructor")
    if ctor is None or text(ctor) != "Map":
        return ()
    args = call_arguments(node)
    entries = unwrap_types(args[0]) if args else None
    if entries is None or entries.type != "array":
        return ()
    pairs = [p.named_children[0] for p in entries.named_children if p.type == "array" and p.named_children]
    return tuple(k for k in (string_value(p) for p in pairs) if k is not None)
