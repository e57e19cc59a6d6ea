"""stripe-perm-lint: check a Stripe App's code against the permissions its manifest declares."""

from __future__ import annotations

__version__ = "0.1.0"
