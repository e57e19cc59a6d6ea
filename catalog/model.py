"""Frozen value types of the catalog API."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Permission:
    name: str
    product: str
    resource: str
    access: str  # 'read' | 'write'
    description: str
    docs_url: str | None
    source: str  # 'current-page' | 'event-table' | 'older-edition'
    counterpart: str | None
    upload_refused: str | None = None  # why `stripe apps upload` rejects it, when it does


@dataclass(frozen=True)
class Requirement:
    """What one need takes: any permission of `any_of`, or no app permission at all."""

    any_of: tuple[str, ...]
    canonical: str | None
    access: str  # 'read' | 'write'
    no_permission_reason: str | None = None
    note: str | None = None

    @property
    def has_permission(self) -> bool:
        return bool(self.any_of)

    @classmethod
    def from_json(cls, data: dict) -> "Requirement":
        return cls(tuple(data["any_of"]), data["canonical"], data["access"], data["no_permission_reason"], data["note"])


@dataclass(frozen=True)
class Operation:
    id: str  # "GET /v1/customers/{customer}"
    verb: str
    path: str
    api: str  # 'v1' | 'v2' | 'oauth'
    object: str | None
    return_kind: str  # 'object' | 'list' | 'search'
    requirement: Requirement
    node: tuple[str, ...] = ()
    python: tuple[str, ...] = ()
    legacy: tuple[str, ...] = ()
    sdk_versions: str = ""
    instance: tuple[str, ...] = ()
    in_latest: bool = True  # False: only older SDK versions (or raw-request aliases) have it


@dataclass(frozen=True)
class ObjectType:
    name: str
    read: Requirement  # what reading or expanding an object of this type needs
    expand_needs_nothing: bool = False  # embedded-only objects (discount, application...)


@dataclass(frozen=True)
class ExpandResolution:
    steps: tuple[tuple[str, Requirement], ...] = ()  # (object type(s) expanded, requirement)
    error: str | None = None


@dataclass(frozen=True)
class EventInfo:
    name: str
    any_of: tuple[str, ...]
    recommended: str | None


@dataclass(frozen=True)
class Field:
    """A traversable field of an object or nested type (internal to expand resolution)."""

    kind: str  # 'expandable' | 'list' | 'embedded' | 'scalar'
    targets: tuple[str, ...] = field(default=())
    is_array: bool = False
