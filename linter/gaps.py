"""The kinds of gap the analysis reports besides plain needs, apart from the analysis itself so
that a rule can name the kind it reports without loading the analysis (``stripe-perm-lint``
imports every rule to resolve ``--select``, also on a run the report cache answers)."""

from __future__ import annotations

import enum


class GapKind(enum.Enum):
    """Something the analysis met that is not a plain need; each kind has one rule."""

    UNRESOLVED = "unresolved"  # SPL103
    NO_PERMISSION = "no-permission"  # SPL104
    PLATFORM_CALL = "platform-call"  # SPL105
    INVALID_EXPAND = "invalid-expand"  # SPL107
    UNKNOWN_EVENT = "unknown-event"  # SPL201
    WILDCARD_EVENT = "wildcard-event"  # SPL202
    UNKNOWN_PERMISSION_REFERENCE = "unknown-permission-reference"  # SPL002
    OWN_ACCOUNT_EVENT = "own-account-event"  # SPL105: an event of the developer's own account (§10)


RAW_REQUEST = "raw request"  # the detail of a platform-call gap made by a request by verb and path
