"""Every rule, registered once. A meta-test fails if a module here is missing from ALL_RULES."""

from __future__ import annotations

from stripe_perm_lint.rules.spl001_invalid_manifest import InvalidManifest
from stripe_perm_lint.rules.spl002_unknown_permission import UnknownPermission
from stripe_perm_lint.rules.spl003_duplicate_permission import DuplicatePermission
from stripe_perm_lint.rules.spl004_refused_permission import RefusedPermission
from stripe_perm_lint.rules.spl005_ambiguous_manifest import AmbiguousManifest
from stripe_perm_lint.rules.spl006_manifest_schema import ManifestSchema
from stripe_perm_lint.rules.spl007_placeholder_purpose import PlaceholderPurpose
from stripe_perm_lint.rules.spl008_overlay_only_permission import OverlayOnlyPermission
from stripe_perm_lint.rules.spl101_missing_permission import MissingPermission
from stripe_perm_lint.rules.spl102_unused_permission import UnusedPermission
from stripe_perm_lint.rules.spl103_unresolved_call import UnresolvedCall
from stripe_perm_lint.rules.spl104_no_app_permission import NoAppPermission
from stripe_perm_lint.rules.spl105_platform_account_call import PlatformAccountCall
from stripe_perm_lint.rules.spl106_broader_than_needed import BroaderThanNeeded
from stripe_perm_lint.rules.spl107_invalid_expand import InvalidExpand
from stripe_perm_lint.rules.spl108_redundant_permission import RedundantPermission
from stripe_perm_lint.rules.spl201_unknown_event import UnknownEvent
from stripe_perm_lint.rules.spl202_wildcard_event_subscription import WildcardEventSubscription
from stripe_perm_lint.rules.spl301_removed_sdk_api import RemovedSdkApi
from stripe_perm_lint.rules.spl901_unparsable_file import UnparsableFile
from stripe_perm_lint.rules.spl902_unused_suppression import UnusedSuppression

ALL_RULES = (
    InvalidManifest(),
    UnknownPermission(),
    DuplicatePermission(),
    RefusedPermission(),
    AmbiguousManifest(),
    ManifestSchema(),
    PlaceholderPurpose(),
    OverlayOnlyPermission(),
    MissingPermission(),
    UnusedPermission(),
    UnresolvedCall(),
    NoAppPermission(),
    PlatformAccountCall(),
    BroaderThanNeeded(),
    InvalidExpand(),
    RedundantPermission(),
    UnknownEvent(),
    WildcardEventSubscription(),
    RemovedSdkApi(),
    UnparsableFile(),
    UnusedSuppression(),
)


def rule_by_code_or_name(key: str):
    key = key.strip()
    for rule in ALL_RULES:
        if key.upper() == rule.code or key.lower() == rule.name:
            return rule
    return None
