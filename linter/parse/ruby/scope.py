"""Where a Ruby name is bound: the enclosing method or block, its parameters, the assignments to a
local before a use, a class's instance variables, the file's constants and methods.

Ruby locals are bound by assignment, blocks close over the locals of their method, and an
instance variable is set by any method of its class. Nothing here knows about Stripe.
"""

from __future__ import annotations

from stripe_perm_lint.parse.ruby.syntax import text, walk

METHODS = ("method", "singleton_method")
BLOCKS = ("block", "do_block", "lambda")
_PARAMETER_TYPES = ("identifier", "optional_parameter", "keyword_parameter", "splat_parameter",
                    "hash_splat_parameter", "block_parameter")


def enclosing(node, types: tuple[str, ...]):
    current = node.parent
    while current is not None and current.type not in types:
        current = current.parent
    return current


def parameter_names(holder) -> list[str]:
    """Parameter names of a method or block, in order (`|event|`, `def create(params, opts = {})`)."""
    field = "parameters"
    params = holder.child_by_field_name(field)
    if params is None:
        return []
    names = []
    for p in params.named_children:
        if p.type == "identifier":
            names.append(text(p))
        elif p.type in _PARAMETER_TYPES:
            name = p.child_by_field_name("name")
            if name is not None:
                names.append(text(name))
    return names


class FileScope:
    """The file's bindings, indexed once: locals by method, instance variables by class,
    constants and method definitions by name."""

    def __init__(self, root) -> None:
        self.root = root
        self.constants: dict[str, list] = {}  # NAME -> value nodes (`STRIPE = Stripe::StripeClient.new(...)`)
        self.ivars: dict[tuple[int, str], list] = {}  # (class id, @name) -> value nodes
        self.methods: dict[str, list] = {}  # name -> method nodes (memoised getters: `def stripe`)
        self.locals: dict[tuple[int, str], list] = {}  # (method/program id, name) -> assignment nodes
        self.calls: dict[str, list] = {}  # method name -> call nodes (callers of a file's method)
        for node in walk(root):
            if node.type == "call" and node.child_by_field_name("method") is not None:
                name = text(node.child_by_field_name("method"))
                receiver = node.child_by_field_name("receiver")
                if name == "new" and receiver is not None:  # `Billing::Reports.new(...)` under `Reports.new`
                    name = text(receiver).rsplit("::", 1)[-1] + ".new"
                self.calls.setdefault(name, []).append(node)
            if node.type in ("assignment", "operator_assignment"):
                self._assignment(node)
            elif node.type in METHODS:
                name = node.child_by_field_name("name")
                if name is not None:
                    self.methods.setdefault(text(name), []).append(node)

    def _assignment(self, node) -> None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            return
        if left.type == "constant":
            self.constants.setdefault(text(left), []).append(right)
        elif left.type == "instance_variable":
            cls = enclosing(node, ("class", "module"))
            self.ivars.setdefault((_id(cls), text(left)), []).append(right)
        elif left.type == "identifier":
            holder = enclosing(node, METHODS) or self.root
            self.locals.setdefault((_id(holder), text(left)), []).append(node)

    def local_value(self, name_node):
        """The value last assigned to a local before ``name_node`` in its method (or the file),
        or None."""
        holder = enclosing(name_node, METHODS) or self.root
        found = None
        for assignment in self.locals.get((_id(holder), text(name_node)), []):
            if assignment.end_byte <= name_node.start_byte and not _inside(name_node, assignment):
                found = assignment
        return found.child_by_field_name("right") if found is not None else None

    def parameter(self, name_node) -> tuple[object, int] | None:
        """(the method or block, index) when ``name_node`` names one of its parameters."""
        name = text(name_node)
        holder = enclosing(name_node, METHODS + BLOCKS)
        while holder is not None:
            names = parameter_names(holder) if holder.type not in ("block", "do_block") else _block_params(holder)
            if name in names:
                return holder, names.index(name)
            if holder.type in METHODS:
                return None
            holder = enclosing(holder, METHODS + BLOCKS)
        return None

    def calls_named(self, name: str) -> list:
        """Calls of a method by name; `Reports.new` for the constructions of a class."""
        return self.calls.get(name, [])

    def declared_type(self, method, name: str) -> str | None:
        """The type a Sorbet signature gives a parameter: `sig { params(client: Stripe::StripeClient) }`
        just before `def run(client)`."""
        sig = method.prev_named_sibling
        while sig is not None and sig.type == "comment":
            sig = sig.prev_named_sibling
        if sig is None or sig.type != "call" or text(sig.child_by_field_name("method") or sig) != "sig":
            return None
        for node in walk(sig):
            if node.type == "pair" and text(node.child_by_field_name("key")).rstrip(":") == name:
                value = node.child_by_field_name("value")
                return text(value).removeprefix("::") if value is not None else None
        return None

    def ivar_values(self, node) -> list:
        cls = enclosing(node, ("class", "module"))
        return self.ivars.get((_id(cls), text(node)), [])


def _block_params(block) -> list[str]:
    params = block.child_by_field_name("parameters")
    if params is None:
        return []
    return [text(p) for p in params.named_children if p.type == "identifier"] + [
        text(p.child_by_field_name("name")) for p in params.named_children
        if p.type in _PARAMETER_TYPES[1:] and p.child_by_field_name("name") is not None
    ]


def _id(node) -> int:
    return -1 if node is None else node.start_byte * 7919 + node.end_byte


def _inside(node, container) -> bool:
    return container.start_byte <= node.start_byte and node.end_byte <= container.end_byte
