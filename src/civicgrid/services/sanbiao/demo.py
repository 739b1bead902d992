"""Seeding the 三标 demo through the use cases; a second run changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from civicgrid.domain.access import local_operator
from civicgrid.domain.sanbiao.chains import Chain, Project, Stage
from civicgrid.domain.sanbiao.conversion import ActionKind, Lesson, LessonAction
from civicgrid.domain.sanbiao.milestones import Comparison, Condition, Milestone
from civicgrid.domain.sanbiao.peers import Peer, PeerGroup, PeerKind, PeerValue, Practice
from civicgrid.domain.sanbiao.standards import Rule
from civicgrid.services.sanbiao import benchmarks, chains, conversion, milestones
from civicgrid.services.sanbiao import demo_data as d
from civicgrid.services.sanbiao.context import Context
from civicgrid.services.sanbiao.ports import SanbiaoUnitOfWork
from civicgrid.services.sanbiao.standards import StandardRequest, set_standard
from civicgrid.services.sanbiao.values import ValueEntry, enter_value

RETAIL = "economy.retail_sales"
DEADLINE = date(2023, 12, 31)


@dataclass(frozen=True, slots=True)
class SeedReport:
    seeded: bool  # False: the demo held 三标 data already
    peers: int = 0
    values: int = 0
    milestones: int = 0
    lessons: int = 0
    chains: int = 0
    projects: int = 0


def seed_demo(uow: SanbiaoUnitOfWork, context: Context) -> SeedReport:
    with uow:
        if uow.sanbiao.peers() or uow.areas.get(d.JINSHUI, with_geometry=False) is None:
            return SeedReport(seeded=False)
    who, now = local_operator(), context.now
    peer_ids = {}
    for zh, en, kind, city_zh, city_en in d.PEERS:
        peer = benchmarks.add_peer(uow, who, Peer(0, zh, en, PeerKind(kind), city_zh, city_en))
        peer_ids[zh] = peer.id
    for zh, value in d.PEER_RETAIL_2022.items():
        benchmarks.set_peer_value(
            uow, who, PeerValue(peer_ids[zh], RETAIL, 2022, value, d.SYNTHETIC)
        )
    benchmarks.add_group(
        uow, who, PeerGroup(0, "苏甬蓉考察对象", "The study-tour peers", tuple(peer_ids.values()))
    )
    for zh, en, text, source_peer, indicators in d.PRACTICES:
        benchmarks.add_practice(
            uow,
            who,
            Practice(0, zh, en, text, d.SOURCE, peer_ids.get(source_peer or ""), indicators),
        )
    values = 0
    for area, series in d.RETAIL.items():
        for year, value in zip(range(2018, 2023), series, strict=True):
            enter_value(uow, who, ValueEntry(RETAIL, area, str(year), value, d.SYNTHETIC), now=now)
            values += 1
    set_standard(
        uow, who, StandardRequest(d.JINSHUI, RETAIL, "2023", Rule.MANUAL, target=1100), context
    )
    set_standard(
        uow,
        who,
        StandardRequest(
            d.ERQI, RETAIL, "2023", Rule.PEER_FACTOR, peer_id=peer_ids["成都高新区"], factor=1.05
        ),
        context,
    )
    stones = _milestones(uow, context)
    chain_ids = [
        chains.add_chain(uow, who, Chain(0, d.SHANGJIE, zh, en, "区领导（合成）", (), src)).id
        for zh, en, src in d.SHANGJIE_CHAINS
    ]
    for n, (name, amount) in enumerate(d.ERQI_PROJECTS):
        signed = date(2023, 1, 10) + timedelta(days=12 * n)  # synthetic dates before mid-May
        chains.add_project(
            uow,
            who,
            Project(0, d.ERQI, None, name, amount, Stage.SIGNED, {Stage.SIGNED: signed}, d.SOURCE),
            now=now,
        )
    lessons = _lessons(uow, context, stones)
    return SeedReport(
        True, len(peer_ids), values, len(stones), lessons, len(chain_ids), len(d.ERQI_PROJECTS)
    )


def _milestones(uow: SanbiaoUnitOfWork, context: Context) -> dict[str, int]:
    who = local_operator()
    made = {}
    specs: list[tuple[str, str, str, str, Condition | None, str]] = [
        (
            "retail",
            d.JINSHUI,
            "社会消费品零售总额突破1100亿元",
            "Retail sales above 110 bn yuan",
            Condition(RETAIL, Comparison.AT_LEAST, 1100),
            "",
        ),
        (
            "count",
            d.ERQI,
            "新签约项目10个",
            "Ten projects signed",
            Condition("investment.signed_count", Comparison.AT_LEAST, 10),
            "新签约项目10个、总额27.02亿元",
        ),
        (
            "amount",
            d.ERQI,
            "新签约总额27.02亿元",
            "27.02 bn yuan signed",
            Condition("investment.signed_amount", Comparison.AT_LEAST, 27.02),
            "新签约项目10个、总额27.02亿元",
        ),
    ]
    group = "四个突破、四个新增、三个提升"
    for part, en in (
        ("四个突破", "Four breakthroughs"),
        ("四个新增", "Four additions"),
        ("三个提升", "Three improvements"),
    ):
        specs.append((part, d.JINSHUI, part, en, None, group))
    for key, area, zh, en, condition, grouped in specs:
        draft = Milestone(0, area, zh, en, DEADLINE, condition, grouped, d.SOURCE)
        made[key] = milestones.add_milestone(uow, who, draft, context).id
    return made


def _lessons(uow: SanbiaoUnitOfWork, context: Context, stones: dict[str, int]) -> int:
    who = local_operator()
    learned = datetime.fromisoformat(d.LEARNED_AT)
    links = {  # synthetic links from lessons to actions, to show the conversion chain
        "打造全国新零售产业集聚区": (ActionKind.POLICY, "新零售产业集聚区政策", ("retail",)),
        "产业发展“1+1+12”推进体系": (ActionKind.PROJECT, "产业项目集中签约", ("count", "amount")),
        "建立重点产业链链长制": (ActionKind.POLICY, "9条重点产业链链长制", ()),
    }
    for area, zh, en, indicators in d.LESSONS:
        lesson = conversion.record_lesson(
            uow, who, Lesson(0, area, zh, en, "", d.SOURCE, learned, indicators), context
        )
        if zh in links:
            kind, title, keys = links[zh]
            conversion.link_action(
                uow,
                who,
                LessonAction(
                    0, lesson.id, kind, title, d.SYNTHETIC, tuple(stones[k] for k in keys)
                ),
            )
    return len(d.LESSONS)
