"""Names in scope while a Java function is read: its parameters (by declared type), its locals
(by what they were assigned), the class's fields, and the file's imports and constants."""

from __future__ import annotations

from dataclasses import dataclass, field

from stripe_perm_lint.parse.java.spring import assigned_name, injected_field, injects_parameters
from stripe_perm_lint.parse.java.syntax import string_value, text, walk

_STRIPE_MODEL = "com.stripe.model."
_STRIPE_SERVICE = "com.stripe.service."


@dataclass
class JavaParameter:
    type: str  # as written, without generics: "StripeClient", "String"
    configured: bool  # annotated `@Value` (Spring): the process's configuration, not a caller's
    injected: bool = False  # Spring passes it (``spring.injects_parameters``): a bean, not a caller's value


@dataclass
class JavaField:
    type: str
    node: object  # its variable_declarator
    configured: bool
    value: object = None  # what the file assigns it (initializer or constructor), once known
    injected: bool = False  # Spring fills it (``spring.injected_field``)


@dataclass
class JavaFileNames:
    """What the whole file declares: imports (simple name -> qualified), wildcard packages,
    string constants, fields (of every class, by name)."""

    imports: dict[str, str] = field(default_factory=dict)
    wildcards: list[str] = field(default_factory=list)
    constants: dict[str, str] = field(default_factory=dict)
    fields: dict[str, JavaField] = field(default_factory=dict)

    def model_class(self, written: str) -> str | None:
        """The stripe-java model class a type or receiver name denotes, relative to
        ``com.stripe.model`` (`Customer`, `checkout.Session`), or None."""
        from stripe_perm_lint.parse.java.table import model_classes

        if self.is_stripe(written, "com.stripe.net.OAuth"):
            return "OAuth"  # Connect OAuth's static `token` / `deauthorize`, beside the model classes
        if written.startswith(_STRIPE_MODEL):
            name = written[len(_STRIPE_MODEL):]
        elif written in self.imports:
            qualified = self.imports[written]
            if not qualified.startswith(_STRIPE_MODEL):
                return None
            name = qualified[len(_STRIPE_MODEL):]
        elif "." not in written and (_STRIPE_MODEL + "*") in self.wildcards:
            name = written
        else:
            return None
        return name if name in model_classes() or name in ("Event",) else None

    def service_chain(self, written: str) -> str | None:
        """The client chain a stripe-java service class denotes (`CustomerService` imported from
        `com.stripe.service`: `customers()`), or None."""
        from stripe_perm_lint.parse.java.table import service_classes

        qualified = written if written.startswith(_STRIPE_SERVICE) else self.imports.get(written)
        if qualified is None and "." not in written and _STRIPE_SERVICE + "*" in self.wildcards:
            qualified = _STRIPE_SERVICE + written
        return service_classes().get(qualified) if qualified else None

    def is_stripe(self, written: str, qualified: str) -> bool:
        """Whether ``written`` (`StripeClient`, `Webhook`) is the stripe-java class ``qualified``."""
        package, _, simple = qualified.rpartition(".")
        return written == qualified or self.imports.get(written) == qualified or (
            written == simple and f"{package}.*" in self.wildcards)


@dataclass
class JavaScope:
    """One function's names; ``key_assignments``: the account of each `Stripe.apiKey = ...` made
    in it (decision 12), with where it was made. A constructor's key parameter is "unknown": an
    object is built with a key far more often once at startup than once per account."""

    parameters: dict[str, JavaParameter] = field(default_factory=dict)
    constructor: bool = False
    locals: dict[str, object] = field(default_factory=dict)
    key_assignments: list = field(default_factory=list)  # (position, account)


def type_name(node) -> str:
    """`List<String>` -> `List`; `com.stripe.model.Customer` as written."""
    if node is None:
        return ""
    if node.type == "generic_type":
        node = node.named_children[0]
    return text(node)


def is_configured(declaration) -> bool:
    """Annotated `@Value(...)`: Spring injects the process's own configuration."""
    for child in declaration.children:
        if child.type == "modifiers":
            return any(n.type in ("annotation", "marker_annotation") and text(n.child_by_field_name("name")) == "Value"
                       for n in child.children)
    return False


def read_file_names(root) -> JavaFileNames:
    names = JavaFileNames()
    assigned: set[str] = set()
    for node in walk(root):
        if node.type == "assignment_expression":
            assigned.add(assigned_name(node) or "")
        elif node.type == "import_declaration":
            body = text(node)[len("import"):].strip().rstrip(";").strip()
            if body.startswith("static "):
                continue
            if body.endswith(".*"):
                names.wildcards.append(body)
            else:
                names.imports[body.rsplit(".", 1)[-1]] = body
        elif node.type == "field_declaration":
            kind = type_name(node.child_by_field_name("type"))
            for declarator in node.children_by_field_name("declarator"):
                name = text(declarator.child_by_field_name("name"))
                names.fields[name] = JavaField(kind, declarator, is_configured(node))
                value = declarator.child_by_field_name("value")
                if value is not None and value.type == "string_literal":
                    names.constants[name] = string_value(value)
    for name, found in names.fields.items():
        found.injected = injected_field(found.node.parent, name in assigned)
    return names


def function_parameters(function) -> dict[str, JavaParameter]:
    params = function.child_by_field_name("parameters")
    injected = injects_parameters(function)
    out = {}
    for p in params.named_children if params is not None else ():
        if p.type in ("formal_parameter", "spread_parameter"):
            name = p.child_by_field_name("name") or next((c for c in p.named_children if c.type == "identifier"), None)
            if name is not None:
                out[text(name)] = JavaParameter(type_name(p.child_by_field_name("type")), is_configured(p), injected)
    return out
