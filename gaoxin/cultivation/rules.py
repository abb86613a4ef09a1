"""The rules the radars start with, as data (a migration loads them; administrators add rows
when a rule changes): the statistics bureau's 规上 thresholds by GB/T 4754 section, and the
computable criteria of 高新技术企业 and 专精特新中小企业. Every row names where it comes from; a
date or value that could not be checked against an official text says so in its note (or, for
criteria, `confirmed=False`), and an administrator corrects it in the admin.

Left out on purpose: 建筑业 (E, counted by 资质 not revenue), 房地产开发经营 (counted by 开发资质;
GB/T 4754's division 70 cannot tell it from 物业管理, whose threshold is revenue), and sections
the bureau does not survey by revenue (A, J, S, T): enterprises there are on no 规上 radar.
"""

from __future__ import annotations

from typing import Any

WAN = 10_000  # 1万元 in yuan

NBS_2011 = (
    "国家统计局：经国务院批准，自2011年起规模以上工业统计起点标准由年主营业务收入500万元提高到"
    "2000万元；限额以上批发业、零售业、住宿和餐饮业以年主营业务收入2000万元、500万元、200万元为起点"
)
NBS_BEFORE_2011 = (
    "国家统计局统计调查制度（2011年前）：规模以上工业为年主营业务收入500万元及以上；限额以上批发业"
    "年销售额2000万元及以上且年末从业人员20人及以上，零售业500万元及以上且60人及以上，住宿和餐饮业"
    "年营业额200万元及以上且40人及以上"
)
NBS_SERVICES_OLD = (
    "国家统计局《服务业风雨砥砺七十载 新时代踏浪潮头领航行》（2019-07-22）注3："
    "规模以上服务业为年营业收入1000万元及以上或年末从业人员50人及以上的交通运输…卫生和社会工作；500万元及以上或50人及以上的"
    "居民服务、修理和其他服务业，文化、体育和娱乐业法人单位"
)
NBS_SERVICES_NEW = (
    "国家统计局规模以上服务业统计报表制度（现行）：年营业收入2000万元及以上的交通运输、仓储和邮政业，"
    "信息传输、软件和信息技术服务业，水利、环境和公共设施管理业和卫生；1000万元及以上的租赁和商务服务"
    "业，科学研究和技术服务业，教育；500万元及以上的居民服务、修理和其他服务业，文化、体育和娱乐业和"
    "社会工作（见三明市发改委答复2021-05-26、天津市滨海新区统计局、永春县统计局2024-08-09）"
)
DATE_UNCHECKED = "生效日期按已公开的最早说明填写，未能与统计局原文核对，请统计部门核实。"

# fmt: off
THRESHOLDS: tuple[dict[str, Any], ...] = (
    # 工业: B 采矿业, C 制造业, D 电力、热力、燃气及水生产和供应业
    *({"section": s, "name": "规模以上工业", "effective_from": "2007-01-01",
       "min_revenue": 500 * WAN, "document": NBS_BEFORE_2011,
       "note": "2007年以前为全部国有及年产品销售收入500万元以上非国有工业企业，未录入。"}
      for s in "BCD"),
    *({"section": s, "name": "规模以上工业", "effective_from": "2011-01-01",
       "min_revenue": 2000 * WAN, "document": NBS_2011} for s in "BCD"),
    # 批发和零售业, 住宿和餐饮业
    {"section": "F", "divisions": "51", "name": "限额以上批发业", "effective_from": "2007-01-01",
     "min_revenue": 2000 * WAN, "min_employees": 20, "combine": "and",
     "document": NBS_BEFORE_2011, "note": DATE_UNCHECKED},
    {"section": "F", "divisions": "52", "name": "限额以上零售业", "effective_from": "2007-01-01",
     "min_revenue": 500 * WAN, "min_employees": 60, "combine": "and",
     "document": NBS_BEFORE_2011, "note": DATE_UNCHECKED},
    {"section": "H", "name": "限额以上住宿和餐饮业", "effective_from": "2007-01-01",
     "min_revenue": 200 * WAN, "min_employees": 40, "combine": "and",
     "document": NBS_BEFORE_2011, "note": DATE_UNCHECKED},
    {"section": "F", "divisions": "51", "name": "限额以上批发业", "effective_from": "2011-01-01",
     "min_revenue": 2000 * WAN, "document": NBS_2011},
    {"section": "F", "divisions": "52", "name": "限额以上零售业", "effective_from": "2011-01-01",
     "min_revenue": 500 * WAN, "document": NBS_2011},
    {"section": "H", "name": "限额以上住宿和餐饮业", "effective_from": "2011-01-01",
     "min_revenue": 200 * WAN, "document": NBS_2011},
    # 规模以上服务业, the rules before the current ones
    *({"section": s, "name": "规模以上服务业", "effective_from": "2012-01-01",
       "min_revenue": 1000 * WAN, "min_employees": 50, "combine": "or",
       "document": NBS_SERVICES_OLD, "note": DATE_UNCHECKED} for s in "GILMNPQ"),
    *({"section": s, "name": "规模以上服务业", "effective_from": "2012-01-01",
       "min_revenue": 500 * WAN, "min_employees": 50, "combine": "or",
       "document": NBS_SERVICES_OLD, "note": DATE_UNCHECKED} for s in "OR"),
    # ... and the current ones
    *({"section": s, "name": "规模以上服务业", "effective_from": "2021-01-01",
       "min_revenue": 2000 * WAN, "document": NBS_SERVICES_NEW, "note": DATE_UNCHECKED}
      for s in "GIN"),
    {"section": "Q", "divisions": "84", "name": "规模以上服务业（卫生）",
     "effective_from": "2021-01-01", "min_revenue": 2000 * WAN,
     "document": NBS_SERVICES_NEW, "note": DATE_UNCHECKED},
    *({"section": s, "name": "规模以上服务业", "effective_from": "2021-01-01",
       "min_revenue": 1000 * WAN, "document": NBS_SERVICES_NEW, "note": DATE_UNCHECKED}
      for s in "LMP"),
    *({"section": s, "name": "规模以上服务业", "effective_from": "2021-01-01",
       "min_revenue": 500 * WAN, "document": NBS_SERVICES_NEW, "note": DATE_UNCHECKED}
      for s in "OR"),
    {"section": "Q", "divisions": "85", "name": "规模以上服务业（社会工作）",
     "effective_from": "2021-01-01", "min_revenue": 500 * WAN,
     "document": NBS_SERVICES_NEW, "note": DATE_UNCHECKED},
)

HIGH_TECH_NOT_CHECKED_2008 = (
    "核心自主知识产权；高新技术产品（服务）收入占总收入60%以上；科技人员占职工总数30%以上且研发人员"
    "10%以上；境内研发费用占60%以上；研究开发组织管理水平等"
)
HIGH_TECH_NOT_CHECKED_2016 = (
    "拥有核心自主知识产权；主要产品（服务）属《国家重点支持的高新技术领域》；科技人员占职工总数10%以上；"
    "高新技术产品（服务）收入占总收入60%以上；境内研发费用占60%以上；创新能力评价达标；申请前一年内"
    "未发生重大安全、重大质量事故或严重环境违法行为"
)
SPECIALISED_NOT_CHECKED = (
    "属中小企业（按《中小企业划型标准规定》分行业划型，本表只查营业收入上限）；从事特定细分市场2年以上"
    "（本表以成立年限代替）；专精特新指标评分；以近2年新增股权融资2000万元以上替代营业收入条件的情形；"
    "未发生重大安全（含网络安全、数据安全）、质量、环境污染等事故"
)

MOST_2008 = "科技部 财政部 国家税务总局《高新技术企业认定管理办法》（国科发火〔2008〕172号）第十条"
MOST_2016 = "科技部 财政部 国家税务总局《高新技术企业认定管理办法》（国科发火〔2016〕32号）第十一条"
MIIT_2022 = "工业和信息化部《优质中小企业梯度培育管理暂行办法》（工信部企业〔2022〕63号）附件2"
MIIT_2026 = (
    "2026年修订的专精特新中小企业认定标准（原文未能在此核对；数值暂沿用2022年版，待核实后修改）"
)

CRITERIA: tuple[dict[str, Any], ...] = (
    {"kind": "high_tech", "effective_from": "2008-01-01",
     "document": MOST_2008,
     "min_years": 1, "rnd_years": 3, "validity_years": 3,
     "rnd_bands": [{"below": 5000 * WAN, "percent": 6}, {"below": 20000 * WAN, "percent": 4},
                   {"below": None, "percent": 3}],
     "not_checked": HIGH_TECH_NOT_CHECKED_2008},
    {"kind": "high_tech", "effective_from": "2016-01-01",
     "document": MOST_2016,
     "min_years": 1, "rnd_years": 3, "validity_years": 3,
     # "小于5,000万元（含）… 5,000万元至2亿元（含）": the edges belong to the lower band.
     "rnd_bands": [{"below": 5000 * WAN, "inclusive": True, "percent": 5},
                   {"below": 20000 * WAN, "inclusive": True, "percent": 4},
                   {"below": None, "percent": 3}],
     "not_checked": HIGH_TECH_NOT_CHECKED_2016},
    {"kind": "specialised_sme", "effective_from": "2022-06-01",
     "document": MIIT_2022,
     "min_years": 2, "min_revenue": 1000 * WAN, "max_revenue": 40000 * WAN,
     "min_rnd": 100 * WAN, "rnd_years": 1, "rnd_bands": [{"below": None, "percent": 3}],
     "requires": "innovative_sme", "validity_years": 3,
     "not_checked": SPECIALISED_NOT_CHECKED},
    {"kind": "specialised_sme", "effective_from": "2026-01-01", "confirmed": False,
     "document": MIIT_2026,
     "min_years": 2, "min_revenue": 1000 * WAN, "max_revenue": 40000 * WAN,
     "min_rnd": 100 * WAN, "rnd_years": 1, "rnd_bands": [{"below": None, "percent": 3}],
     "requires": "innovative_sme", "validity_years": 3,
     "not_checked": SPECIALISED_NOT_CHECKED},
)
# fmt: on


def load(threshold: Any, criteria: Any) -> None:
    threshold.objects.bulk_create(threshold(**row) for row in THRESHOLDS)
    criteria.objects.bulk_create(criteria(**row) for row in CRITERIA)
