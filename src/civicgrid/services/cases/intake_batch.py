"""Reports over the API, many in one transaction (group commit).

The creates waiting together are read first (token, idempotency key, place), then
written together (the cases, their events and their notifications in one statement
each) and committed once: one write lock and one commit for all.
Each is answered only after that commit. A later report in the batch sees the earlier
ones, so the duplicate search finds them as it would one after another.

A report whose reads fail gets its own error and leaves the others alone. When a write
fails (a twin request in another process took the idempotency key, say), the whole
transaction rolls back and each of its reports runs again on its own, as `report_case`
runs it, so each gets the answer or the error it would get without the batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from civicgrid.domain.access import Principal
from civicgrid.domain.cases.case import Case
from civicgrid.domain.citizens import PublicReporter
from civicgrid.domain.errors import DomainError, Unauthenticated
from civicgrid.services.area_chains import AreaChainProvider
from civicgrid.services.case_ports import CaseRules
from civicgrid.services.cases.intake import (
    Opened,
    PlannedReport,
    Reported,
    ReportRequest,
    check_report,
    idempotency_key,
    open_planned_all,
    plan_report,
    principal_of,
    report_case,
)
from civicgrid.services.feed import FeedPublisher
from civicgrid.services.ports import Locator, LocatorProvider, UnitOfWork
from civicgrid.services.users import active_principal, authenticate_token, token_digest


@dataclass(frozen=True, slots=True)
class TokenReport:
    """One create as the API receives it: the caller's bearer token and the report."""

    token: str
    request: ReportRequest


@dataclass(frozen=True, slots=True)
class PublicReport:
    """One create from a public channel (Open311, the citizen form): the reporter needs
    no token, and the channel keeps its record of the case in the same transaction."""

    reporter: PublicReporter
    request: ReportRequest
    keep: Callable[[UnitOfWork, Case], None] | None = None


IntakeItem = TokenReport | PublicReport


@dataclass(frozen=True, slots=True)
class Accepted:
    principal: Principal
    reported: Reported


@dataclass(frozen=True, slots=True)
class IntakeContext:
    new_uow: Callable[[], UnitOfWork]
    locators: LocatorProvider
    rules: CaseRules
    clock: Callable[[], datetime]
    snap_tolerance_m: float
    feed: FeedPublisher | None = None
    chains: AreaChainProvider | None = None


def report_batch(context: IntakeContext, items: Sequence[IntakeItem]) -> list[Accepted | Exception]:
    """Each item's outcome, in order: its accepted report, or the error to answer."""
    results: list[Accepted | Exception | None] = [None] * len(items)
    planned: list[tuple[int, Principal, PlannedReport]] = []
    opened: list[Opened] = []
    committed = False
    try:
        with context.new_uow() as uow:
            _read(context, uow, items, results, planned)
            if planned:
                opened = open_planned_all(uow, context.rules, [plan for _, _, plan in planned])
                for (n, _, _), done in zip(planned, opened, strict=True):
                    item = items[n]
                    if isinstance(item, PublicReport) and item.keep is not None:
                        item.keep(uow, done.reported.case)
                try:
                    uow.commit()
                    committed = True
                except Exception as error:  # as each alone would have failed
                    # Not run again: a commit that failed may yet have been made.
                    opened = []
                    for n, _, _ in planned:
                        results[n] = error
    except Exception:  # before the commit: rolled back, each runs again alone below
        if not committed:
            opened = []
    for (n, principal, _), done in zip(planned, opened, strict=False):
        results[n] = Accepted(principal, done.reported)
        done.publish(context.feed)
    return [
        result if result is not None else _alone(context, items[n])
        for n, result in enumerate(results)
    ]


def _read(
    context: IntakeContext,
    uow: UnitOfWork,
    items: Sequence[IntakeItem],
    results: list[Accepted | Exception | None],
    planned: list[tuple[int, Principal, PlannedReport]],
) -> None:
    """Fill in replays and read errors, and plan the new cases. Left as None: reports
    to run alone after the batch (a twin's key, or a read that failed unexpectedly)."""
    holders: dict[str, Principal | None] = {}
    locators = _OneLocator(context.locators)
    keys: set[str] = set()
    try:
        keys_read = _read_keys(uow, items, holders)
    except Exception:  # the transaction may be unusable: all alone
        return
    for n, item in enumerate(items):
        now = context.clock()
        try:
            reporter = _reporter(uow, item, holders)
            principal = principal_of(reporter)
            check_report(context.rules, item.request, now=now)
            found = plan_report(
                uow, locators, context.rules, reporter, item.request, now=now,
                snap_tolerance_m=context.snap_tolerance_m, chains=context.chains,
                keys_read=keys_read,
            )  # fmt: skip
        except DomainError as error:
            results[n] = error
            continue
        except Exception:  # the transaction may be unusable: the rest alone
            return
        if isinstance(found, Reported):
            results[n] = Accepted(principal, found)
        elif found.key is None or found.key not in keys:
            planned.append((n, principal, found))
            if found.key is not None:
                keys.add(found.key)
        # else: the same key twice in one batch; alone, after the commit, it replays


def _read_keys(
    uow: UnitOfWork, items: Sequence[IntakeItem], holders: dict[str, Principal | None]
) -> dict[str, int]:
    """The earlier cases of the batch's idempotency keys, in one read."""
    wanted: set[str] = set()
    for item in items:
        if item.request.idempotency_key:
            try:
                reporter = _reporter(uow, item, holders)
            except DomainError:  # answered in its turn
                continue
            principal = principal_of(reporter)
            key = idempotency_key(principal, item.request)
            if key is not None:
                wanted.add(key)
    return uow.cases.find_by_idempotency_keys(wanted)


def _reporter(
    uow: UnitOfWork, item: IntakeItem, holders: dict[str, Principal | None]
) -> Principal | PublicReporter:
    if isinstance(item, PublicReport):
        return item.reporter
    return _principal(uow, item.token, holders)


def _principal(uow: UnitOfWork, token: str, holders: dict[str, Principal | None]) -> Principal:
    """As `authenticate_token`, read once per token for the batch: one snapshot."""
    if token not in holders:
        held = uow.users.token_holder(token_digest(token))
        holders[token] = None if held is None else active_principal(*held)
    principal = holders[token]
    if principal is None:
        raise Unauthenticated("the API token is unknown or revoked")
    return principal


class _OneLocator:
    """The locator read once for the batch: its transaction sees one areas version."""

    def __init__(self, provider: LocatorProvider) -> None:
        self._provider = provider
        self._locator: Locator | None = None

    def current(self, uow: UnitOfWork) -> Locator:
        if self._locator is None:
            self._locator = self._provider.current(uow)
        return self._locator


def _alone(context: IntakeContext, item: IntakeItem) -> Accepted | Exception:
    try:
        if isinstance(item, PublicReport):
            reporter: Principal | PublicReporter = item.reporter
            principal, keep = item.reporter.principal, item.keep
        else:
            reporter = principal = authenticate_token(context.new_uow(), item.token)
            keep = None
        reported = report_case(
            context.new_uow(),
            context.locators,
            context.rules,
            reporter,
            item.request,
            now=context.clock(),
            snap_tolerance_m=context.snap_tolerance_m,
            feed=context.feed,
            before_commit=keep,
            chains=context.chains,
        )
    except Exception as error:  # answered to its own request
        return error
    return Accepted(principal, reported)
