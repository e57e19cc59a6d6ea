"""Python positions resolved for a copy of a top-level statement cut down to the statements that
hold a node (``StatementPositions._nested``) are libcst's own positions over the whole module."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from stripe_perm_lint.parse.python.positions import StatementPositions
from stripe_perm_lint.parse.python.scope import _is_statement

# Statements nested in function, class, try, with, for, while and if bodies; comments and blank
# lines between them; decorators; a semicolon line; an except handler, an else and an elif after
# the body a copy keeps (their lines are gone from it); CRLF line ends.
SOURCE = """import stripe


@app.route("/hook", methods=["POST"])
def hook():
    payload = request.data
    # verify first
    try:
        event = stripe.Webhook.construct_event(payload, sig, secret)

        # then dispatch
        if event.type == "invoice.paid":
            for line in stripe.Invoice.list_lines(event.data.object.id):
                total += line.amount; count += 1
        elif event.type == "charge.refunded":
            with lock:
                while pending:
                    stripe.Refund.retrieve(pending.pop(), stripe_account=event.account)
            else_branch = 1
        else:
            stripe.Customer.retrieve("cus_1")
    except stripe.error.SignatureVerificationError as e:
        return str(e), 400
    else:
        stripe.Balance.retrieve()
    return "", 200


class Sync:
    '''Syncs.'''

    @staticmethod
    # between
    def run(account):
        def inner(cid):
            return stripe.Customer.retrieve(cid, stripe_account=account)
        return [inner(c) for c in stripe.Customer.list(stripe_account=account)]
""".replace("\n", "\r\n")


class _Chains(cst.CSTVisitor):
    """Every node with its top-level statement and the statements below it that hold it, as the
    Python parser's scope pass records them for its sites."""

    def __init__(self, module: cst.Module) -> None:
        self.tops = {id(s): i for i, s in enumerate(module.body)}
        self.top: int | None = None
        self.chain: tuple = ()
        self.found: list[tuple[cst.CSTNode, int, tuple]] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        top = self.tops.get(id(node))
        if top is not None:
            self.top, self.chain = top, ()
        elif _is_statement(type(node)):
            self.chain += (node,)
        if self.top is not None:
            self.found.append((node, self.top, self.chain))
        return True

    def on_leave(self, node: cst.CSTNode) -> None:
        if self.chain and self.chain[-1] is node:
            self.chain = self.chain[:-1]


def _nodes(module: cst.Module) -> list[tuple[cst.CSTNode, int, tuple]]:
    chains = _Chains(module)
    module.visit(chains)
    return chains.found


def test_every_node_asked_for_deepest_first_is_where_the_whole_module_puts_it() -> None:
    module = cst.parse_module(SOURCE)
    whole = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    positions = StatementPositions(module, SOURCE)
    # deepest first: the copies are made for the innermost statements, and every node asked for
    # afterwards (a header, an except handler, a decorator) is looked up among those copies first
    checked = 0
    for node, top, chain in sorted(_nodes(module), key=lambda found: -len(found[2])):
        if node in whole:
            assert positions.range_of(node, top, chain) == whole[node], (type(node).__name__, whole[node])
            checked += 1
    nested = [key for key in positions._tables if isinstance(key, tuple) and key[0] == "nested"]
    assert checked > 300 and len(nested) >= 10 and not positions._refused and positions._whole is None


def test_a_call_in_an_except_handler_is_not_read_from_a_copy_that_cut_the_try_body() -> None:
    module = cst.parse_module(SOURCE)
    whole = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    positions = StatementPositions(module, SOURCE)
    by_code = {module.code_for_node(n): (n, top, chain) for n, top, chain in _nodes(module) if isinstance(n, cst.Call)}
    construct, top, chain = by_code["stripe.Webhook.construct_event(payload, sig, secret)"]
    assert positions.range_of(construct, top, chain) == whole[construct]  # a copy keeping
    assert [key[0] for key in positions._tables] == ["nested"]  # the try body's first statement only
    call, top, chain = by_code["str(e)"]  # in the handler, which follows in that copy
    assert positions.range_of(call, top, chain) == whole[call]
    assert whole[call].start.line == 23
