"""TypeScript and TSX files of a synthetic app: UI-extension views, ordinary components and
utilities, and a Node backend. Each function takes a ``random.Random`` and returns source text;
the same generator state always gives the same text (``synth.py`` seeds it)."""

from __future__ import annotations

import random

# (stripe-node namespace, method, the object an expand path may reach) for calls an app makes.
NODE_CALLS = (
    ("customers", "list", "default_source"),
    ("customers", "retrieve", "invoice_settings.default_payment_method"),
    ("invoices", "list", "subscription"),
    ("invoices", "retrieve", "charge"),
    ("subscriptions", "list", "default_payment_method"),
    ("charges", "list", "balance_transaction"),
    ("paymentIntents", "retrieve", "payment_method"),
    ("products", "list", None),
    ("prices", "list", "product"),
    ("payouts", "list", "destination"),
    ("refunds", "create", None),
    ("balanceTransactions", "list", "source"),
)
# The arguments of a backend call by method (a list otherwise).
NODE_ARGUMENTS = {"create": "{{ charge: String(req.body.charge) }}", "retrieve": "req.params.id, {expand}"}
NODE_EVENTS = (
    "customer.created", "customer.updated", "invoice.paid", "invoice.payment_failed",
    "customer.subscription.updated", "customer.subscription.deleted", "charge.refunded",
    "payment_intent.succeeded", "checkout.session.completed", "payout.paid",
)
WORDS = (
    "account", "balance", "billing", "cart", "catalog", "dashboard", "detail", "filter", "invoice",
    "ledger", "metric", "note", "order", "panel", "plan", "report", "search", "setting", "summary",
    "tag", "team", "timeline", "usage", "widget", "export", "history", "profile", "status",
)


def pascal(*words: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in words)


def camel(*words: str) -> str:
    name = pascal(*words)
    return name[:1].lower() + name[1:]


def pick_words(rng: random.Random, n: int = 2) -> list[str]:
    return rng.sample(WORDS, n)


def pick_call(rng: random.Random, table: tuple) -> tuple[str, str, str | None, bool]:
    """A (namespace, method, expand path, acts on the connected account) for a backend call: most
    backend calls name the account, the others act on the platform (an info finding)."""
    resource, method, expand = rng.choice(table)
    return resource, method, expand, rng.random() < 0.7


def util_module(rng: random.Random) -> str:
    """Ordinary helpers: formatting, grouping, validation. No Stripe in sight, as in most files."""
    parts = ["// Helpers shared by the views and the backend.\n"]
    for _ in range(rng.randint(6, 14)):
        a, b = pick_words(rng)
        fn, limit = camel("format", a, b), rng.randint(3, 40)
        parts.append(f"""
export interface {pascal(a, b)}Row {{
  id: string;
  label: string;
  amount: number;
  createdAt: number;
  tags?: string[];
}}

export function {fn}(rows: {pascal(a, b)}Row[], currency = 'usd'): string[] {{
  const sorted = [...rows].sort((x, y) => y.createdAt - x.createdAt);
  return sorted.slice(0, {limit}).map((row) => {{
    const value = (row.amount / 100).toFixed(2);
    const tags = (row.tags ?? []).filter((t) => t.length > 0).join(', ');
    return `${{row.label}}: ${{value}} ${{currency.toUpperCase()}}${{tags ? ` [${{tags}}]` : ''}}`;
  }});
}}

export const {camel("group", a, "by", b)} = (rows: {pascal(a, b)}Row[]): Record<string, {pascal(a, b)}Row[]> =>
  rows.reduce<Record<string, {pascal(a, b)}Row[]>>((groups, row) => {{
    const key = row.label.slice(0, {rng.randint(1, 4)}).toLowerCase();
    (groups[key] ||= []).push(row);
    return groups;
  }}, {{}});
""")
    return "".join(parts)


def component(rng: random.Random, name: str) -> str:
    """A React component with state and effects, built from the UI-extension SDK's components."""
    a, b = pick_words(rng)
    items = "\n".join(
        f"          <Box key=\"{w}\" css={{{{ padding: 'small' }}}}><Inline>{w.title()}</Inline></Box>"
        for w in rng.sample(WORDS, rng.randint(3, 8))
    )
    return f"""import {{ useEffect, useMemo, useState }} from 'react';
import {{ Box, Button, Inline, List, ListItem, TextField }} from '@stripe/ui-extension-sdk/ui';

type {name}Props = {{
  title: string;
  rows: {{ id: string; label: string; amount: number }}[];
  onSelect?: (id: string) => void;
}};

export const {name} = ({{ title, rows, onSelect }}: {name}Props) => {{
  const [query, setQuery] = useState('');
  const [{a}, set{pascal(a)}] = useState<number>({rng.randint(0, 9)});
  const visible = useMemo(
    () => rows.filter((row) => row.label.toLowerCase().includes(query.toLowerCase())),
    [rows, query],
  );
  useEffect(() => {{
    if (visible.length > {rng.randint(5, 50)}) {{
      set{pascal(a)}((n) => n + 1);
    }}
  }}, [visible.length]);
  return (
    <Box css={{{{ stack: 'y', gap: 'medium' }}}}>
      <TextField label={{title}} value={{query}} onChange={{(e) => setQuery(e.target.value)}} />
      <List>
        {{visible.map((row) => (
          <ListItem key={{row.id}} title={{row.label}} value={{`${{row.amount}} ({a} ${{{a}}})`}} onAction={{() => onSelect?.(row.id)}} />
        ))}}
      </List>
      <Box css={{{{ stack: 'x', gap: 'small' }}}}>
{items}
      </Box>
      <Button onPress={{() => setQuery('')}}>Clear {b}</Button>
    </Box>
  );
}};
"""


def view(rng: random.Random, name: str, component_name: str, calls_stripe: bool) -> str:
    """A view of the manifest. One that calls Stripe builds the client the documented way and
    may ask for an expand list; the others only render what they are given."""
    head = f"""import type {{ ExtensionContextValue }} from '@stripe/ui-extension-sdk/context';
import {{ ContextView }} from '@stripe/ui-extension-sdk/ui';
import {{ useEffect, useState }} from 'react';
import {{ {component_name} }} from '../components/{component_name}';
"""
    if not calls_stripe:
        return head + f"""
const {name} = ({{ userContext, environment }}: ExtensionContextValue) => {{
  const [rows] = useState([{{ id: environment.objectContext?.id ?? 'none', label: 'Current', amount: 0 }}]);
  return (
    <ContextView title="{name}">
      <{component_name} title={{userContext?.account?.name ?? '{name}'}} rows={{rows}} />
    </ContextView>
  );
}};

export default {name};
"""
    resource, method, expand = rng.choice([c for c in NODE_CALLS if c[1] != "create"])
    args = "environment.objectContext?.id ?? ''" if method == "retrieve" else f"{{ limit: {rng.randint(3, 100)} }}"
    if expand:
        args = (f"environment.objectContext?.id ?? '', {{ expand: ['{expand}'] }}" if method == "retrieve"
                else f"{{ limit: {rng.randint(3, 100)}, expand: ['data.{expand}'] }}")
    return head + f"""import {{ stripe }} from '../lib/stripe';

const {name} = ({{ environment }}: ExtensionContextValue) => {{
  const [rows, setRows] = useState<{{ id: string; label: string; amount: number }}[]>([]);
  useEffect(() => {{
    stripe.{resource}.{method}({args}).then((result: any) => {{
      const items = Array.isArray(result.data) ? result.data : [result];
      setRows(items.map((item: any) => ({{ id: item.id, label: item.id, amount: item.amount ?? 0 }})));
    }});
  }}, [environment.objectContext?.id]);
  return (
    <ContextView title="{name}">
      <{component_name} title="{name}" rows={{rows}} />
    </ContextView>
  );
}};

export default {name};
"""


UI_CLIENT = """import Stripe from 'stripe';
import { createHttpClient, STRIPE_API_KEY } from '@stripe/ui-extension-sdk/http_client';

// The Dashboard authenticates the calls; the key is a placeholder the SDK replaces.
export const stripe = new Stripe(STRIPE_API_KEY, {
  httpClient: createHttpClient(),
  apiVersion: '2023-08-16',
});
"""

NODE_CLIENT = """import Stripe from 'stripe';

export function makeStripe(): Stripe {
  return new Stripe(process.env.STRIPE_SECRET_KEY as string, { apiVersion: '2024-06-20' });
}

export const stripe = makeStripe();
"""


def node_service(rng: random.Random, calls_stripe: bool) -> str:
    """An Express-style backend module. One that calls Stripe imports the shared client (a
    client carried across modules) and acts on the connected account for most calls."""
    lines = ["import type { Request, Response } from 'express';\n"]
    if calls_stripe:
        lines.append("import { stripe } from './stripeClient';\n")
    for _ in range(rng.randint(3, 8)):
        a, b = pick_words(rng)
        handler = camel("handle", a, b)
        if calls_stripe and rng.random() < 0.5:
            resource, method, expand, connected = pick_call(rng, NODE_CALLS)
            account = ", { stripeAccount: req.params.accountId }" if connected else ""
            arguments = NODE_ARGUMENTS.get(method, "{{ limit: {limit}{list_expand} }}").format(
                limit=rng.randint(5, 100),
                expand=f"{{ expand: ['{expand}'] }}" if expand else "{}",
                list_expand=f", expand: ['data.{expand}']" if expand else "",
            )
            call = f"stripe.{resource}.{method}({arguments}{account})"
            body = f"  const result = await {call};\n  res.json(result);\n"
        else:
            body = (f"  const {a} = Number(req.query.{b} ?? {rng.randint(1, 99)});\n"
                    f"  if (Number.isNaN({a})) {{\n    res.status(400).json({{ error: 'bad {b}' }});\n    return;\n  }}\n"
                    f"  res.json({{ {a}, doubled: {a} * 2, label: `{a}-${{{a}}}` }});\n")
        lines.append(f"\nexport async function {handler}(req: Request, res: Response): Promise<void> {{\n{body}}}\n")
    return "".join(lines)


def node_webhook(rng: random.Random) -> str:
    """A webhook endpoint: verifies the event and switches on its type."""
    events = rng.sample(NODE_EVENTS, rng.randint(2, 5))
    cases = "".join(f"    case '{e}':\n      console.log('{e}', event.id);\n      break;\n" for e in events)
    return f"""import type {{ Request, Response }} from 'express';
import {{ stripe }} from './stripeClient';

export async function webhook(req: Request, res: Response): Promise<void> {{
  const signature = req.headers['stripe-signature'] as string;
  const event = stripe.webhooks.constructEvent(req.body, signature, process.env.STRIPE_WEBHOOK_SECRET as string);
  if (!event.account) {{
    res.status(400).end();
    return;
  }}
  switch (event.type) {{
{cases}    default:
      break;
  }}
  res.json({{ received: true }});
}}
"""
