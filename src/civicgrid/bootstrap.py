"""The composition root: the one place that wires adapters into the use cases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from civicgrid.adapters.alert_rules_file import load_rules as load_alert_rules
from civicgrid.adapters.alert_rules_file import parse_rules_text
from civicgrid.adapters.attachment_store import FileAttachmentStore
from civicgrid.adapters.case_rules import TreeCaseRules
from civicgrid.adapters.category_files import default_category_tree, load_category_tree
from civicgrid.adapters.db.admin_uow import SqlAdminUnitOfWork
from civicgrid.adapters.db.area_chains import PreloadedAreaChains
from civicgrid.adapters.db.engine import make_engine
from civicgrid.adapters.db.iot_uow import SqlIotUnitOfWork
from civicgrid.adapters.db.sqlite_checkpoints import checkpoint_in_background, stop_checkpoints
from civicgrid.adapters.db.uow import SqlUnitOfWork
from civicgrid.adapters.feed_memory import MemoryFeed
from civicgrid.adapters.feed_nats import NatsFeed
from civicgrid.adapters.files.calendar_overrides import load_calendar_overrides
from civicgrid.adapters.holidays import china_calendar
from civicgrid.adapters.indicator_limits import TreeCategoryLimits
from civicgrid.adapters.live_rules import LiveCaseRules
from civicgrid.adapters.passwords import Argon2Hasher
from civicgrid.adapters.pinyin import to_english
from civicgrid.adapters.spatial.provider import CachedLocatorProvider
from civicgrid.config import Settings
from civicgrid.domain.alerts import RuleSet
from civicgrid.domain.cases.categories import CategoryTree
from civicgrid.services.admin_ports import AdminUnitOfWork
from civicgrid.services.area_chains import AreaChainProvider
from civicgrid.services.attachment_ports import AttachmentStore
from civicgrid.services.case_ports import CaseRules
from civicgrid.services.cases.group_commit import GroupRunner
from civicgrid.services.cases.indicator_facts import FactCache
from civicgrid.services.cases.intake import Reported
from civicgrid.services.cases.intake_batch import (
    Accepted,
    IntakeContext,
    IntakeItem,
    PublicReport,
    report_batch,
)
from civicgrid.services.feed import Feed
from civicgrid.services.ingest import AlertPipeline, CaseContext, PipelineSettings
from civicgrid.services.map_layers import OutlineCache
from civicgrid.services.ports import LocatorProvider, UnitOfWork
from civicgrid.services.scheduler import process_name
from civicgrid.services.sensor_ports import IotUnitOfWork
from civicgrid.services.users import PasswordHasher


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Container:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    hasher: PasswordHasher = field(default_factory=Argon2Hasher)
    locators: LocatorProvider = field(default_factory=CachedLocatorProvider)
    english_name: Callable[[str], str] = to_english
    clock: Callable[[], datetime] = utc_now
    feed: Feed = field(default_factory=MemoryFeed)  # bootstrap() builds it from settings
    _facts: tuple[object, object, FactCache] | None = field(default=None, init=False, repr=False)

    @cached_property
    def rules(self) -> CaseRules:
        """The files' tree and calendar with the administrators' edits on top, followed
        as they change (adapters/live_rules.py); the files are read on first use."""
        files = file_rules_data(self.settings)  # now: a bad file is told before anything runs
        return LiveCaseRules(lambda: files, self.session_factory, self.settings.zone)

    @property
    def indicator_facts(self) -> FactCache:
        """Kept between requests: replaying a whole city's log on each costs seconds.
        Built again when an administrator changes the limits or the calendar."""
        limits = TreeCategoryLimits.of(self.rules)
        kept = self._facts
        if kept is None or kept[0] is not limits.tree or kept[1] is not limits.calendar:
            kept = self._facts = (limits.tree, limits.calendar, FactCache(limits, limits.calendar))
        return kept[2]

    def alert_rules_changed(self, rules: RuleSet) -> None:
        """New alert rules were saved here: this process's engine, if running, takes them."""
        pipeline = self.__dict__.get("alert_pipeline")  # not built yet: it reads them then
        if isinstance(pipeline, AlertPipeline):
            pipeline.reload_rules(rules)

    def rules_changed(self) -> None:
        """An administrator saved an edit in this process: follow it now, not in seconds."""
        if isinstance(self.rules, LiveCaseRules):
            self.rules.invalidate()

    @cached_property
    def map_outlines(self) -> OutlineCache:
        """The staff map's outlines per level, kept between requests."""
        return OutlineCache()

    @cached_property
    def area_chains(self) -> AreaChainProvider:
        """Every area's chain in memory, for intake; read again when the areas change."""
        return PreloadedAreaChains(self.engine)

    @cached_property
    def attachment_store(self) -> AttachmentStore:
        return FileAttachmentStore(self.settings.data_dir / "attachments")

    def uow(self) -> UnitOfWork:
        return SqlUnitOfWork(self.session_factory)

    def iot_uow(self) -> IotUnitOfWork:
        return SqlIotUnitOfWork(self.session_factory)

    def admin_uow(self) -> AdminUnitOfWork:
        return SqlAdminUnitOfWork(self.session_factory)

    @cached_property
    def intake(self) -> GroupRunner[IntakeItem, Accepted | Exception]:
        """New cases from every channel, written together in one transaction per burst."""
        return GroupRunner(
            lambda items: report_batch(self._intake_context(), items), name="case-intake"
        )

    def open_public(self, item: PublicReport) -> Reported:
        """A public channel's case through `intake`, waiting in the caller's thread."""
        outcome = self.intake.submit(item).result()
        if isinstance(outcome, Exception):
            raise outcome
        return outcome.reported

    def _intake_context(self) -> IntakeContext:
        # Read at each batch: tests replace the clock.
        return IntakeContext(
            new_uow=self.uow,
            locators=self.locators,
            rules=self.rules,
            clock=self.clock,
            snap_tolerance_m=self.settings.snap_tolerance_m,
            feed=self.feed,
            chains=self.area_chains,
        )

    @cached_property
    def alert_pipeline(self) -> AlertPipeline:
        """This process's alert engine over every sensor (started on first use)."""
        return alert_pipeline(self)

    def warm_up(self) -> None:
        """Build now what the first reports would: the rules, the locator, every chain."""
        _ = self.rules
        with self.uow() as uow:
            version = uow.areas.version()
            self.locators.current(uow)
            self.area_chains.chain(uow, "", version=version)  # any code loads them all

    def serve_in_background(self) -> None:
        """What a long-running server adds: SQLite's log checkpointed off the commits."""
        if self.engine.dialect.name == "sqlite":
            checkpoint_in_background(self.engine)

    def dispose(self) -> None:
        self.feed.close()
        stop_checkpoints(self.engine)
        self.engine.dispose()


def bootstrap(settings: Settings | None = None) -> Container:
    settings = settings or Settings()
    engine = make_engine(settings.sqlalchemy_url)
    factory = sessionmaker(engine, expire_on_commit=False)
    return Container(
        settings=settings, engine=engine, session_factory=factory, feed=live_feed(settings)
    )


def live_feed(settings: Settings) -> Feed:
    """NATS carries the feed between processes; memory serves a single one."""
    if settings.feed_url == "memory":
        return MemoryFeed()
    return NatsFeed(settings.feed_url, subject=settings.feed_subject, name=process_name())


def file_rules_data(settings: Settings) -> tuple[CategoryTree, dict[date, bool]]:
    """The category tree and the calendar days the files give, before any edit."""
    tree = (
        load_category_tree(settings.categories_file)
        if settings.categories_file
        else default_category_tree()
    )
    overrides = load_calendar_overrides(settings.calendar_file) if settings.calendar_file else {}
    return tree, overrides


def case_rules(settings: Settings) -> TreeCaseRules:
    """The files' rules alone, without the administrators' edits."""
    tree, overrides = file_rules_data(settings)
    calendar = china_calendar(zone=settings.zone, overrides=overrides)
    return TreeCaseRules(tree, calendar, settings.zone)


def alert_pipeline(container: Container, settings: PipelineSettings | None = None) -> AlertPipeline:
    rules = stored_alert_rules(container) or load_alert_rules(container.settings.alert_rules_file)
    cases = CaseContext(container.locators, container.rules, container.feed, container.area_chains)
    return AlertPipeline(container.iot_uow, rules, settings, cases)


def stored_alert_rules(container: Container) -> RuleSet | None:
    """The rules an administrator saved last, which replace the file's; None when none."""
    with container.admin_uow() as uow:
        saved = uow.admin.alert_rules()
    return None if saved is None else parse_rules_text(saved.text)
