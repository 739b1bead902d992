"""The 三标 demo's data. Figures and lessons from the source document (the Zhengzhou
Daily's 2023 study-tour interviews) are labelled SOURCE; everything else is SYNTHETIC."""

from __future__ import annotations

SOURCE = "source document: 郑州日报 2023-05 学习考察心得"
SYNTHETIC = "synthetic (demo)"
LEARNED_AT = "2023-05-14T00:00:00+08:00"  # the interviews ran in mid-May 2023

ZHONGYUAN, ERQI, GUANCHENG, JINSHUI, SHANGJIE, HUIJI = (
    "410102", "410103", "410104", "410105", "410106", "410108",
)  # fmt: skip
SIX_CENTRAL = (ZHONGYUAN, ERQI, GUANCHENG, JINSHUI, SHANGJIE, HUIJI)

PEERS = (  # name_zh, name_en, kind, city_zh, city_en
    ("苏州工业园区", "Suzhou Industrial Park", "park", "苏州", "Suzhou"),
    ("宁波鄞州区", "Ningbo Yinzhou District", "district", "宁波", "Ningbo"),
    ("成都高新区", "Chengdu Hi-tech Zone", "park", "成都", "Chengdu"),
    ("成都麓湖社区", "Chengdu Luhu Community", "community", "成都", "Chengdu"),
)
PEER_RETAIL_2022 = {"苏州工业园区": 1090.0, "宁波鄞州区": 1010.0, "成都高新区": 1050.0}  # synthetic

PRACTICES = (  # title_zh, title_en, text, peer (or None), indicators
    ("麓湖社区治理模式", "Luhu community governance model",
     "上街区借鉴成都麓湖社区治理模式，深化党建引领网格化基层治理，引导群众主动参与。",
     "成都麓湖社区", ("cases.satisfaction", "cases.on_time_close_rate")),
    ("平江路历史文化街区更新", "Pingjiang Road historic-district renewal",
     "管城区学习借鉴苏州平江路历史文化街区建设经验，建设国际商都历史文化区。",
     None, ("economy.retail_sales",)),
    ("宽窄巷子历史文化街区", "Kuanzhai Alley historic district",
     "管城区学习借鉴成都宽窄巷子历史文化街区建设经验，打造新消费场景。",
     None, ("economy.retail_sales",)),
)  # fmt: skip

# 社会消费品零售总额 (亿元), 2018-2022: synthetic series, for trends and ranks only.
RETAIL = {
    ZHONGYUAN: (360.0, 372.0, 350.0, 381.0, 379.0),
    ERQI: (420.0, 433.0, 405.0, 441.0, 436.0),
    GUANCHENG: (300.0, 311.0, 292.0, 318.0, 322.0),
    JINSHUI: (905.0, 948.0, 902.0, 985.0, 1002.0),
    SHANGJIE: (52.0, 54.0, 50.0, 55.0, 56.0),
    HUIJI: (120.0, 126.0, 118.0, 131.0, 133.0),
}

# 二七区: 10 projects, 27.02 亿元 in all (source document); the split and dates are synthetic.
ERQI_PROJECTS = (
    ("时事通医疗器械产业园", 6.80), ("精密制造产业项目", 3.20), ("智能制造装备项目", 2.95),
    ("健康服务综合体", 2.60), ("现代商贸中心", 2.45), ("特色商业街区", 2.10),
    ("数字产业园", 2.05), ("检验检测平台", 1.80), ("供应链总部", 1.70), ("文旅消费项目", 1.37),
)  # fmt: skip

# 上街区: 9 key chains (source document); two are named there, the rest are synthetic.
SHANGJIE_CHAINS = (
    ("铝加工", "Aluminium processing", SOURCE), ("智能家电", "Smart home appliances", SOURCE),
    ("装备制造", "Equipment manufacturing", SYNTHETIC), ("新材料", "New materials", SYNTHETIC),
    ("通用航空", "General aviation", SYNTHETIC), ("生物医药", "Biomedicine", SYNTHETIC),
    ("电子信息", "Electronics", SYNTHETIC), ("现代物流", "Modern logistics", SYNTHETIC),
    ("节能环保", "Energy saving", SYNTHETIC),
)  # fmt: skip

LESSONS = (  # area, title_zh, title_en, indicators
    (JINSHUI, "以“六抓”为载体打造转化“金标准”", "Six priorities as the conversion standard",
     ()),
    (JINSHUI, "打造全国新零售产业集聚区", "A national new-retail cluster",
     ("economy.retail_sales",)),
    (JINSHUI, "派小分队赴苏甬蓉对接企业", "Teams sent to Suzhou, Ningbo, Chengdu firms", ()),
    (ZHONGYUAN, "构建“一区多园”产业空间布局", "One district, many parks", ()),
    (ZHONGYUAN, "党建引领“微网格”治理，五级指令直达、信息直报",
     "Micro-grid governance, five-level direct command", ("cases.on_time_close_rate",)),
    (ZHONGYUAN, "对标先进，跟班挂职学习", "Secondments to advanced districts", ()),
    (ERQI, "学理念、学标准、学执行", "Learn ideas, standards and execution", ()),
    (ERQI, "产业发展“1+1+12”推进体系", "The 1+1+12 industry system",
     ("investment.signed_count", "investment.signed_amount")),
    (GUANCHENG, "借鉴平江路、宽窄巷子建设国际商都历史文化区",
     "A historic district after Pingjiang Road and Kuanzhai Alley", ("economy.retail_sales",)),
    (HUIJI, "强观念、强创新", "Open minds, more innovation", ()),
    (HUIJI, "明方向、兴产业：三个片区载体", "Three industrial zones", ()),
    (HUIJI, "重品质、善管理：借鉴“公园城市”理念", "The park-city idea", ()),
    (HUIJI, "促消费、展活力：智慧商圈", "Smart shopping districts", ("economy.retail_sales",)),
    (HUIJI, "优生态、重效益：沿黄文旅", "Yellow River eco-tourism", ()),
    (SHANGJIE, "建立重点产业链链长制", "Chain leaders for key industry chains",
     ("investment.signed_count",)),
    (SHANGJIE, "“万人助万企”，“店小二”式服务", "Ten thousand helping ten thousand firms", ()),
    (SHANGJIE, "借鉴成都麓湖社区治理模式", "After the Luhu community model",
     ("cases.satisfaction",)),
)  # fmt: skip
