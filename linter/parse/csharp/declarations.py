"""Where a C# name is declared and what it is first given: a class's fields, properties and
primary-constructor parameters, top-level statements' variables, constructor assignments, and
the values a method returns."""

from __future__ import annotations

from stripe_perm_lint.parse.csharp.syntax import CLASSES, FUNCTIONS, enclosing, text, walk


def returned_values(method) -> list:
    """The expressions a method returns: its `=> expr`, or its `return` statements."""
    body = method.child_by_field_name("body")
    if body is None:
        return []
    if body.type == "arrow_expression_clause":
        return body.named_children[:1]
    return [n.named_children[0] for n in walk(body) if n.type == "return_statement" and n.named_children
            and enclosing(n, *FUNCTIONS) == method]


def initial(declarator):
    value = [c for c in declarator.named_children if c != declarator.child_by_field_name("name")]
    return value[-1] if value else None


def fields(cls) -> dict:
    """name -> ("field" | "parameter", initializer, declared type, node) for a class's fields,
    properties and primary-constructor parameters."""
    out = {}
    body = cls.child_by_field_name("body")
    for member in body.named_children if body is not None else ():
        if member.type == "field_declaration":
            declaration = next((c for c in member.named_children if c.type == "variable_declaration"), None)
            for declarator in declaration.named_children if declaration is not None else ():
                if declarator.type == "variable_declarator":
                    out.setdefault(text(declarator.child_by_field_name("name")), (
                        "field", initial(declarator), text(declaration.child_by_field_name("type")), declarator))
        elif member.type == "property_declaration":
            out.setdefault(text(member.child_by_field_name("name")), (
                "field", member.child_by_field_name("value"), text(member.child_by_field_name("type")), member))
    primary = cls.child_by_field_name("parameters") or next((c for c in cls.named_children if c.type == "parameter_list"), None)
    for parameter in primary.named_children if primary is not None else ():
        # C# 12 primary constructor: `class Billing(CustomerService customers)`
        out.setdefault(text(parameter.child_by_field_name("name")), (
            "parameter", None, text(parameter.child_by_field_name("type")), parameter))
    return out


def top_level(at, name: str):
    """A variable of the file's top-level statements (a minimal-API `Program.cs`)."""
    root = at
    while root.parent is not None:
        root = root.parent
    for node in root.named_children:
        if node.type == "global_statement":
            for inner in walk(node):
                if inner.type == "variable_declarator" and text(inner.child_by_field_name("name")) == name \
                        and enclosing(inner, *FUNCTIONS) is None:
                    return "local", initial(inner), text(inner.parent.child_by_field_name("type")), inner
    return None


def constructor_assignment(field_node, name: str):
    """`_customers = customers;` (or `this._customers = ...`) in a constructor of the field's class."""
    cls = enclosing(field_node, *CLASSES)
    for node in walk(cls) if cls is not None else ():
        owner = enclosing(node, *FUNCTIONS, *CLASSES) if node.type == "assignment_expression" else None
        if owner is not None and owner.type == "constructor_declaration" \
                and text(node.child_by_field_name("left")) in (name, f"this.{name}"):
            return node.child_by_field_name("right")
    return None


def container_filled(where: str, node) -> bool:
    """Whether ASP.NET's container fills a parameter: a constructor's (C# 12 primary ones too), a
    lambda's (a minimal-API handler), one marked `[FromServices]`, or a controller action's (.NET 7
    infers `[FromServices]` for registered types). Any other method's parameter is what its caller
    hands in, maybe a client of the caller's own (`Pay(new StripeClient(token), id)`)."""
    if where != "parameter" or node.parent is None or node.parent.parent is None:
        return False
    owner = node.parent.parent
    if owner.type in (*CLASSES, "constructor_declaration", "lambda_expression"):
        return True
    if any(text(a).split("(")[0] in ("FromServices", "FromServicesAttribute")
           for attributes in node.named_children if attributes.type == "attribute_list" for a in attributes.named_children):
        return True
    cls = enclosing(owner, *CLASSES) if owner.type == "method_declaration" else None
    return cls is not None and text(cls.child_by_field_name("name")).endswith("Controller")
