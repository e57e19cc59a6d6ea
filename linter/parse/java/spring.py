"""What Spring injects, read from annotations: the classes it makes (components and configuration
classes), the parameters and fields it fills, and the ``@Bean`` methods it calls to make a bean.
A ``StripeClient`` received that way is the app's bean, whose account the linker
(``stripe_perm_lint.java_links``) takes from the app's ``@Bean`` factories."""

from __future__ import annotations

from stripe_perm_lint.parse.java.syntax import enclosing, text

# The name under which a file exports the client its `@Bean` factory makes, and under which a call
# on an injected client waits for it: `@` keeps it apart from every Java identifier.
BEAN_CLIENT = "@bean:StripeClient"
BEAN_MODEL = "@bean:StripeClient:model"  # the same account, for methods of what the client fetched
_COMPONENTS = frozenset({"Component", "Service", "Repository", "Controller", "RestController", "Configuration",
                         "SpringBootApplication"})
_INJECTING_METHODS = frozenset({"Autowired", "Inject", "Bean"})  # setter injection; a bean's own dependencies
_INJECTED_FIELDS = frozenset({"Autowired", "Inject", "Resource"})
_CLASSES = ("class_declaration", "record_declaration", "enum_declaration")


def annotations(declaration) -> set[str]:
    """The simple names of a declaration's annotations (`@org.springframework.stereotype.Service`: `Service`)."""
    for child in declaration.children if declaration is not None else ():
        if child.type == "modifiers":
            return {text(n.child_by_field_name("name")).rsplit(".", 1)[-1]
                    for n in child.children if n.type in ("annotation", "marker_annotation")}
    return set()


def is_component(node) -> bool:
    """Whether the class declaring ``node`` is one Spring makes (and so fills its constructor)."""
    return bool(annotations(enclosing(node, _CLASSES)) & _COMPONENTS)


def injects_parameters(function) -> bool:
    """Spring passes this function's arguments: a component's constructor, an `@Autowired` or
    `@Inject` method, a `@Bean` factory. Any other method's arguments are its caller's to choose."""
    if function.type == "constructor_declaration":
        return is_component(function)
    return bool(annotations(function) & _INJECTING_METHODS)


def injected_field(declaration, assigned: bool) -> bool:
    """A field Spring fills: annotated `@Autowired` / `@Inject` / `@Resource`, or a field of a
    component (Lombok's `@RequiredArgsConstructor` writes the injecting constructor unseen) that
    no method of the file assigns (``assigned``: a `@PostConstruct` building its own client)."""
    return bool(annotations(declaration) & _INJECTED_FIELDS) or is_component(declaration) and not assigned


def assigned_name(node) -> str | None:
    """The name `x = ...` / `this.x = ...` assigns outside a constructor (whose assignments the
    parser reads for their values), else None."""
    if node.type != "assignment_expression" or enclosing(node, ("constructor_declaration",)) is not None:
        return None
    left = node.child_by_field_name("left")
    return text(left.child_by_field_name("field")) if left.type == "field_access" else text(left)


def is_bean(function) -> bool:
    return function.type == "method_declaration" and "Bean" in annotations(function)
