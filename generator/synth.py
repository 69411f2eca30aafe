"""Synthetic content: N realistic, deterministic declarations that pass `disclose check` (for benchmarks)."""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

PLACES = ["广水", "随州", "曾都", "随县", "应山", "长岭", "马坪", "杨寨", "陈巷", "蔡河", "郝店", "骆店"]
BUREAUS = [
    ("jyj", "教育局"), ("wsj", "卫生健康局"), ("mzj", "民政局"), ("ldbxj", "劳动保险事业管理局"),
    ("nyj", "农业农村局"), ("slj", "水利和湖泊局"), ("jtj", "交通运输局"), ("zjj", "住房和城乡建设局"),
    ("hbj", "生态环境分局"), ("wlj", "文化和旅游局"), ("sjj", "市场监督管理局"), ("tjj", "统计局"),
    ("sfj", "司法局"), ("czj", "财政局"), ("zrj", "自然资源和规划局"), ("yjj", "应急管理局"),
]
SUBJECTS = ["养老保险", "工伤保险", "义务教育", "基层医疗", "农田水利", "乡村道路", "城乡低保", "食品安全",
            "河湖治理", "公共文化", "安全生产", "统计调查", "法律援助", "不动产登记", "老旧小区改造"]
VERBS = ["宣传贯彻", "组织实施", "监督管理", "统筹推进", "指导协调", "核定发放", "稽核检查", "建设维护"]
TAILS = ["相关政策法规，提出本地实施办法和规章制度；", "工作，规范管理程序，确保资金安全运营；",
         "的核定、申报、登记、管理和发放工作；", "，组织开展各项活动，维护社会稳定；"]
QUAL = ["按上级文件要求时限内", "达到省级要求", "群众满意", "持续改善", "按计划完成"]
LEVELS = {
    "产出指标": ["数量指标", "质量指标", "时效指标", "成本指标"],
    "效益指标": ["经济效益", "社会效益", "生态效益", "可持续发展"],
    "满意度指标": ["服务对象满意度指标"],
}
NUMERALS = "一二三四五六七八九十"


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def _shares(values: list[Decimal]) -> list[str]:
    """Shares truncated to two places, the last adjusted so the column sums to 100% (as filers do)."""
    total = sum(values)
    if not total:
        return ["0.00%"] * len(values)
    shares = [(v * 100 / total).quantize(Decimal("0.01"), ROUND_DOWN) for v in values]
    shares[-1] = Decimal(100) - sum(shares[:-1])
    return [f"{s}%" for s in shares]


def _rows(key: str, names: list[str], current: list[Decimal], history: list[list[Decimal]]) -> list[str]:
    lines = [f"  {key}:"]
    for name, amount, share, hist in zip(names, current, _shares(current), history, strict=True):
        lines += [f"    - name: {name}", f"      amount: {amount}", f"      share: {share}",
                  f"      history: [{hist[0]}, {hist[1]}]"]
    total_hist = [sum(h[i] for h in history) for i in range(2)]
    lines += [f"  {key}_total:", f"    amount: {sum(current)}", "    share: 100%",
              f"    history: [{total_hist[0]}, {total_hist[1]}]"]
    return lines


def _funding(year: int, basic: Decimal, project_total: Decimal, hist: list[list[Decimal]]) -> list[str]:
    """The funding block, balanced: income (财政拨款 + 10 % 其他资金) = expenditure (基本 + 项目), every column."""
    total = basic + project_total
    hist_totals = [hist[0][i] + hist[1][i] for i in range(2)]
    other = (total * Decimal("0.1")).quantize(Decimal("0.01"))
    other_hist = [min(Decimal(20), hist_totals[0]), min(Decimal(30), hist_totals[1])]
    income_hist = [[hist_totals[i] - other_hist[i] for i in range(2)], other_hist]
    return ["funding:", f"  history_years: [{year - 2}, {year - 1}]",
            *_rows("income", ["财政拨款", "其他资金"], [total - other, other], income_hist),
            *_rows("expenditure", ["基本支出", "项目支出"], [basic, project_total], hist)]


def _sentence(rng: random.Random, n: int) -> str:
    return "，".join(f"{rng.choice(VERBS)}{rng.choice(SUBJECTS)}" for _ in range(n)) + rng.choice(TAILS)


def _indicator(rng: random.Random, level1: str, level2: str) -> str:
    subject = rng.choice(SUBJECTS)
    kind = rng.random()
    if kind < 0.4:
        name, value = f"{subject}覆盖人数", str(rng.randint(100, 90000))
    elif kind < 0.75:
        name, value = f"{subject}{rng.choice(['准确率', '完成率', '及时率'])}", f"≥{rng.randint(85, 100)}%"
    else:
        name, value = f"{subject}{rng.choice(['工作', '任务', '服务'])}{rng.choice(['规范', '到位'])}", rng.choice(QUAL)
    basis = rng.choice(["年度计划", "按文件要求", "行业标准"])
    return (f"        - {{level1: {level1}, level2: {level2}, name: {_q(name)}, "
            f"value: {_q(value)}, basis: {basis}}}")


def light_declaration(rng: random.Random, year: int, unit_id: str, unit_name: str) -> str:
    """The old, light shape (lighter than the seed; kept to compare with earlier benchmark results)."""
    projects = [(f"{rng.choice(SUBJECTS)}{rng.choice(['专项经费', '工作经费', '建设项目'])}",
                 _money(rng, 5, 300)) for _ in range(rng.randint(0, 8))]
    project_total = sum((b for _, b in projects), Decimal(0))
    basic = _money(rng, 100, 3000)
    hist = [[_money(rng, 100, 3000), _money(rng, 0, 500)] for _ in range(2)]
    lines = [
        f"year: {year}", f"unit_id: {unit_id}", f"unit_name: {unit_name}",
        f"filing_date: {year}-01-{rng.randint(10, 28)}", "money_unit: 万元",
        f"leader: {rng.choice('张王李赵刘陈杨黄周吴')}{rng.choice('伟芳娜敏静丽强磊军洋')}",
        f"filer: {rng.choice('张王李赵刘陈杨黄周吴')}{rng.choice('晓春明华建国红梅')}",
        f"phone: 0722-{rng.randint(6000000, 6999999)}", "status: published",
        *_funding(year, basic, project_total, hist),
        "functions:",
        *[f"  - {_q(f'{i}. {_sentence(rng, rng.randint(2, 5))}')}" for i in range(1, rng.randint(4, 9))],
        "tasks:",
        *[f"  - {_q(f'({NUMERALS[i]}){_sentence(rng, rng.randint(1, 3))}')}" for i in range(rng.randint(3, 9))],
        "projects:" if projects else "projects: []",
    ]
    for name, budget in projects:
        lines += [f"  - name: {_q(name)}", "    type: 常年性项目",
                  f"    total_budget: {budget}", f"    budget: {budget}",
                  f"    purpose: {_q(_sentence(rng, 1))}"]
    goals = rng.randint(2, 4)
    lines += ["annual:", "  targets:"]
    lines += [f"    - {_q(f'目标 {g + 1}：{_sentence(rng, 2)}')}" for g in range(goals)]
    lines.append("  goals:")
    indicator_total = rng.randint(10, 25)
    for g in range(goals):
        lines += [f"    - title: {_q(_sentence(rng, 1))}", "      indicators:"]
        count = indicator_total // goals + (1 if g < indicator_total % goals else 0)
        for _ in range(max(count, 1)):
            level1 = rng.choice(list(LEVELS))
            lines.append(_indicator(rng, level1, rng.choice(LEVELS[level1])))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the realistic shape
# Sized after the seed (content/2021/guangshui-ldbxj.yaml: 8 functions, 9 tasks, 4 targets, 2 goals with
# 17 indicators, 1 project, ~1,900 characters of text) and never below it; a fifth of the units are
# larger (1.5–3×: big bureaus file more goals, indicators, projects and longer texts). The words are
# each bureau's own, in the phrasing finance-bureau forms use.

SEED_COUNTS = {"functions": 8, "tasks": 9, "targets": 4, "goals": 2, "indicators": 17, "projects": 1}
TAIL_SHARE, TAIL_SCALE, BODY_SCALE = 0.2, (1.5, 3.0), (1.0, 1.4)
SCOPES = ["全市", "全县", "全区"]
# bureau code → (its business lines, the people or bodies it serves, what it counts and in which unit)
DOMAINS: dict[str, tuple[list[str], list[str], list[tuple[str, str]]]] = {
    "jyj": (["义务教育", "学前教育", "校舍安全", "教师队伍建设", "学生资助", "教育督导"],
            ["公办中小学", "民办学校", "幼儿园", "职业学校", "教学点"],
            [("在校学生人数", "人"), ("教师培训人数", "人"), ("受资助学生人数", "人"), ("改造校舍面积", "平方米")]),
    "wsj": (["基层医疗卫生", "公共卫生服务", "疾病预防控制", "妇幼保健", "家庭医生签约", "卫生监督"],
            ["乡镇卫生院", "村卫生室", "社区卫生服务中心", "民营医院", "二级以上医院"],
            [("签约居民人数", "人"), ("规范建档人数", "人"), ("适龄儿童接种人数", "人"), ("监督检查户次", "户次")]),
    "mzj": (["城乡低保", "特困人员供养", "临时救助", "养老服务", "婚姻登记", "殡葬管理"],
            ["社会福利机构", "养老院", "社区居委会", "村民委员会", "社会组织"],
            [("低保对象人数", "人"), ("特困供养人数", "人"), ("高龄津贴发放人数", "人"), ("救助人次", "人次")]),
    "ldbxj": (["养老保险", "工伤保险", "失业保险", "社会保险稽核", "待遇发放", "基金风险管控"],
              ["国有企业", "城镇集体企业", "外商投资企业", "城镇私营企业", "城镇个体工商户", "灵活就业人员"],
              [("在职参保人数", "人"), ("社会化发放人数", "人"), ("待遇领取人数", "人"), ("关系转移人数", "人")]),
    "nyj": (["高标准农田建设", "农业技术推广", "动物防疫", "农产品质量安全", "耕地保护", "农村人居环境整治"],
            ["农民专业合作社", "家庭农场", "种养大户", "农业企业", "乡镇农技站"],
            [("培训农民人数", "人"), ("建设农田面积", "亩"), ("抽检样品批次", "批次"), ("免疫畜禽数量", "头")]),
    "slj": (["河湖长制", "农田水利", "防汛抗旱", "水资源管理", "水土保持", "农村饮水安全"],
            ["中小型水库", "灌区", "泵站", "堤防", "乡镇水利站"],
            [("整治河道长度", "公里"), ("受益人口", "人"), ("巡查次数", "次"), ("治理水土流失面积", "平方公里")]),
    "jtj": (["农村公路建设", "道路运输管理", "公路养护", "交通安全监管", "客运服务", "危桥改造"],
            ["客运企业", "货运企业", "驾驶员培训机构", "公路养护站", "乡镇交管站"],
            [("养护公路里程", "公里"), ("改造危桥数量", "座"), ("开通客运班线", "条"), ("检查车辆", "台次")]),
    "zjj": (["老旧小区改造", "保障性住房", "建筑市场监管", "城市燃气安全", "物业管理", "农村危房改造"],
            ["房地产开发企业", "建筑施工企业", "物业服务企业", "燃气经营企业", "社区"],
            [("改造户数", "户"), ("保障家庭户数", "户"), ("检查在建工地", "个"), ("改造小区数量", "个")]),
    "hbj": (["大气污染防治", "水污染防治", "土壤污染防治", "环境执法", "环境监测", "生态保护"],
            ["排污单位", "工业园区", "规模化养殖场", "医疗机构", "建设项目"],
            [("监测点位数量", "个"), ("执法检查次数", "次"), ("空气质量优良天数", "天"), ("整改问题数量", "个")]),
    "wlj": (["公共文化服务", "文物保护", "全民健身", "文化市场管理", "旅游推广", "非遗传承"],
            ["文化馆", "图书馆", "乡镇综合文化站", "旅游景区", "文化经营单位"],
            [("送戏下乡场次", "场"), ("免费开放天数", "天"), ("参与群众人次", "人次"), ("修缮文物点", "处")]),
    "sjj": (["食品安全", "药品安全", "特种设备安全", "产品质量监督", "市场主体登记", "知识产权保护"],
            ["食品生产企业", "餐饮单位", "药品经营企业", "特种设备使用单位", "个体工商户"],
            [("抽检批次", "批次"), ("检查户次", "户次"), ("新登记市场主体", "户"), ("检验特种设备", "台")]),
    "tjj": (["统计调查", "经济普查", "人口抽样调查", "统计执法", "统计信息化", "数据质量管理"],
            ["调查对象单位", "规模以上企业", "乡镇统计站", "调查户", "重点服务业企业"],
            [("调查户数", "户"), ("联网直报企业", "家"), ("上报统计报表", "份"), ("执法检查单位", "家")]),
    "sfj": (["法律援助", "人民调解", "社区矫正", "普法宣传", "公共法律服务", "行政复议"],
            ["司法所", "律师事务所", "人民调解委员会", "基层法律服务所", "公证处"],
            [("办理援助案件", "件"), ("调解纠纷", "件"), ("在册矫正对象", "人"), ("普法宣传场次", "场")]),
    "czj": (["预算管理", "国库集中支付", "政府采购", "预算绩效管理", "财政监督", "国有资产管理"],
            ["预算单位", "乡镇财政所", "代理银行", "采购代理机构", "国有企业"],
            [("纳入预算单位", "家"), ("重点评价项目", "个"), ("政府采购项目", "个"), ("监督检查单位", "家")]),
    "zrj": (["不动产登记", "国土空间规划", "耕地保护", "地质灾害防治", "矿产资源管理", "测绘地理信息"],
            ["不动产权利人", "用地单位", "矿山企业", "乡镇国土所", "测绘单位"],
            [("办理登记件数", "件"), ("巡查隐患点", "处"), ("整治违法图斑", "宗"), ("补充耕地面积", "亩")]),
    "yjj": (["安全生产", "应急救援", "防灾减灾", "危险化学品监管", "应急物资储备", "消防安全"],
            ["生产经营单位", "危险化学品企业", "非煤矿山", "人员密集场所", "乡镇应急办"],
            [("检查企业数量", "家"), ("培训人员", "人次"), ("应急演练场次", "场"), ("排查隐患", "处")]),
}
GOAL_TITLES = [("提高", "覆盖面"), ("进一步完善", "体系"), ("持续推进", "工作"), ("全面提升", "服务水平"),
               ("健全", "工作机制"), ("规范", "管理")]
ACTIONS = ["核定", "申报", "登记", "审核", "管理", "发放", "监督", "检查", "统计", "考核", "指导", "服务"]
CONCERNS = ["规范资金收入、支出、结余等管理程序，确保资金安全运营", "建立健全内部控制制度，防范廉政风险",
            "提高办事效率，方便群众办事", "落实安全生产责任，守住安全底线", "推进信息化建设，实现数据共享",
            "加强队伍建设，提升依法行政水平"]
SLOGANS = ["“互联网+政务服务”", "“放管服”改革", "“一网通办、一次办好”", "“双评双治双促”活动",
           "“我为群众办实事”实践活动", "“三服务”活动", "乡村振兴战略", "营商环境优化"]
OUTCOMES = ["维护社会稳定", "保障群众合法权益", "促进经济社会健康发展", "增强群众获得感、幸福感、安全感",
            "提升公共服务均等化水平", "推动高质量发展"]
BASES = ["年度计划", "按文件要求", "行业标准", "历史标准", "计划标准", "上级下达的年度工作目标责任书",
         "政府工作报告", "部门年度工作要点"]
LEVEL2_WEIGHTS = [("产出指标", "数量指标", 5), ("产出指标", "质量指标", 4), ("产出指标", "时效指标", 2),
                  ("产出指标", "成本指标", 1), ("效益指标", "社会效益", 3), ("效益指标", "经济效益", 1),
                  ("效益指标", "生态效益", 1), ("效益指标", "可持续发展", 1), ("满意度指标", "服务对象满意度指标", 1)]


class Writer:
    """One unit's texts, drawn from its bureau's vocabulary (same rng, same texts)."""

    def __init__(self, rng: random.Random, bureau: str):
        self.rng = rng
        self.lines, self.bodies, self.counts = DOMAINS[bureau]
        self.scope = rng.choice(SCOPES)

    def pick(self, words: list[str], low: int, high: int) -> str:
        return "、".join(self.rng.sample(words, min(len(words), self.rng.randint(low, high))))

    def function(self, n: int, scale: float) -> str:
        r, line = self.rng, self.rng.choice(self.lines)
        text = f"{n}. 负责{self.scope}{self.pick(self.bodies, 1, 5)}的{line}{self.pick(ACTIONS, 2, 5)}工作"
        for concern in r.sample(CONCERNS, int(r.random() * 2 * scale)):  # big units say more per function
            text += f"；{concern}"
        if r.random() < 0.15:  # a cell pasted with its line break kept
            text += f"；\n{r.choice(['协助', '配合'])}做好{r.choice(self.lines)}相关工作"
        return text + "；"

    def task(self, n: int) -> str:
        r = self.rng
        forms = [f"{n}. 宣传{r.choice(self.lines)}政策，扩大覆盖面。",
                 f"{n}. 深化{r.choice(SLOGANS)}，推进{r.choice(self.lines)}工作提质增效。",
                 f"{n}. 切实做好{r.choice(self.lines)}和{r.choice(self.lines)}工作，{r.choice(OUTCOMES)}。",
                 f"{n}. 开展{r.choice(self.lines)}{r.choice(['自查自纠', '专项检查', '集中整治', '数据清理'])}。",
                 f"{n}. 加强{r.choice(self.bodies)}{r.choice(['监督管理', '业务指导', '绩效考核'])}。",
                 f"{n}. 顺利完成{r.choice(self.lines)}{r.choice(['省级统筹交接', '年度考核', '系统升级'])}工作，"
                 f"{r.choice(CONCERNS)}。"]
        return r.choice(forms)

    def target(self, n: int) -> str:
        r, (count, unit) = self.rng, self.rng.choice(self.counts)
        return (f"目标 {n}：{r.choice(['扩大', '提高', '巩固', '提升'])}{r.choice(self.lines)}"
                f"{r.choice(['覆盖面', '服务水平', '工作质量'])}，{count}达 {r.randint(3, 500) * 100}{unit}。")

    def goal_title(self) -> str:
        verb, noun = self.rng.choice(GOAL_TITLES)
        return f"{verb}{self.rng.choice(self.lines)}{noun}"

    def indicator(self, level1: str, level2: str) -> dict[str, str]:
        r, line, (count, unit) = self.rng, self.rng.choice(self.lines), self.rng.choice(self.counts)
        basis = r.choice(BASES)
        if level2 == "数量指标":  # as in the seed, a bare number; 一体化 exports glue the unit on
            number = r.randint(3, 900) * r.choice([1, 10, 100])
            return {"name": f"{line}{count}", "value": r.choice([str(number), f"≥{number}{unit}"]), "basis": basis}
        if level2 == "质量指标":
            name = f"{line}{r.choice(['核定准确率', '资料完善度', '合格率', '达标率', '规范率'])}"
            return {"name": name, "value": r.choice(["100%", f"≥{r.randint(85, 99)}%", f"{r.randint(90, 100)}%"]),
                    "basis": basis}
        if level2 == "时效指标":
            return {"name": f"{line}{r.choice(['按时完成', '及时、准确', '当月办结'])}",
                    "value": r.choice(["按上级文件要求时限内", "当年 12 月底前完成", "调整率 100%，当月发放。"]),
                    "basis": basis}
        if level2 == "成本指标":
            return {"name": f"{line}成本控制", "value": f"≤{r.randint(5, 300)}万元", "basis": basis}
        if level1 == "满意度指标":  # long sentences, as in the seed
            return {"name": "，".join([*r.sample(CONCERNS, r.randint(2, 4)), r.choice(OUTCOMES)]),
                    "value": f"投诉率 0%；{r.choice(['上访事项答复率', '满意度', '回访满意率'])}"
                             f"{r.randint(90, 100)}%。",
                    "basis": basis}
        return {"name": f"{line}工作{r.choice(['有利于', '有助于'])}{self.pick(OUTCOMES, 1, 3)}",
                "value": f"{r.choice(SLOGANS)}深入开展，{r.choice(OUTCOMES)}。", "basis": basis}

    def purpose(self) -> str:
        r = self.rng
        line, use = r.choice(self.lines), r.choice(["业务经办", "设备购置", "宣传培训", "日常运转", "专项检查"])
        return f"用于{line}{use}，{r.choice(CONCERNS)}"


def _scalar(text: str, indent: str) -> str:
    """A text as YAML: a literal block when it keeps a line break (as clerks paste cells), else quoted."""
    if "\n" in text:
        return "|-\n" + "\n".join(f"{indent}  {line}" for line in text.split("\n"))
    return _q(text)


def _indicator_lines(ind: dict[str, str], level1: str, level2: str, indent: str) -> list[str]:
    """Short rows on one line in flow style, long ones as a block mapping: the seed's two styles."""
    if len(ind["name"]) + len(ind["value"]) < 40:
        fields = ", ".join(f"{k}: {_q(v)}" for k, v in ind.items())
        return [f"{indent}- {{level1: {level1}, level2: {level2}, {fields}}}"]
    rows = [f"{indent}- level1: {level1}", f"{indent}  level2: {level2}"]
    return rows + [f"{indent}  {k}: {_q(v)}" for k, v in ind.items()]


def _count(rng: random.Random, key: str, scale: float) -> int:
    return max(SEED_COUNTS[key], round(SEED_COUNTS[key] * scale * rng.uniform(0.9, 1.15)))


def _projects(rng: random.Random, w: Writer, year: int, scale: float) -> list[tuple[list[str], Decimal]]:
    """Project rows (YAML lines, this year's budget): recurring, continuing (spanning the year) or one-off."""
    out = []
    for _ in range(max(1, round(rng.randint(1, 4) * scale))):
        budget = _money(rng, 5, 300)
        kind = rng.choice(["常年性项目", "常年性项目", "延续性项目", "一次性项目"])
        total = budget if kind != "延续性项目" else budget * rng.randint(2, 4)
        name = f"{rng.choice(w.lines)}{rng.choice(['专项经费', '工作经费', '建设项目', '补助资金'])}"
        rows = [f"  - name: {_q(name)}", f"    type: {kind}", f"    total_budget: {total}", f"    budget: {budget}",
                f"    purpose: {_q(w.purpose())}"]
        if kind == "延续性项目":
            start = year - rng.randint(0, 2)
            rows += [f"    from_year: {start}", f"    to_year: {start + rng.randint(2, 4)}"]
        out.append((rows, budget))
    return out


def _goals(rng: random.Random, w: Writer, scale: float) -> list[str]:
    goals, total = _count(rng, "goals", scale), _count(rng, "indicators", scale)
    levels, weights = [(a, b) for a, b, _ in LEVEL2_WEIGHTS], [n for *_, n in LEVEL2_WEIGHTS]
    lines = ["  goals:"]
    for g in range(goals):
        lines += [f"    - title: {_q(w.goal_title())}", "      indicators:"]
        count = total // goals + (1 if g < total % goals else 0)
        # every goal names an effect and the users' satisfaction (the seed's long rows), the rest at random
        rows = [rng.choice(levels[4:8]), levels[8], *rng.choices(levels, weights, k=max(count - 2, 0))]
        for level1, level2 in sorted(rows, key=levels.index):
            lines += _indicator_lines(w.indicator(level1, level2), level1, level2, "        ")
    return lines


def _long_term(rng: random.Random, w: Writer, year: int) -> list[str]:
    """Half the units fill the long-term block (the seed left it blank)."""
    if rng.random() < 0.5:
        return ["long_term:", "  deadline_year: ~", "  targets: []", "  indicators: []"]
    lines = ["long_term:", f"  deadline_year: {year + rng.randint(2, 4)}", "  targets:"]
    lines += [f"    - {_q(w.target(n))}" for n in range(1, rng.randint(2, 4))]
    lines.append("  indicators:")
    for level1, level2, _ in rng.sample(LEVEL2_WEIGHTS, rng.randint(3, 6)):
        lines += _indicator_lines(w.indicator(level1, level2), level1, level2, "    ")
    return lines


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.4:  # a filer's mobile, as in the seed: masked on the public site
        return f"1{rng.choice('3579')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"
    return f"0722-{rng.randint(6000000, 6999999)}"


def declaration(rng: random.Random, year: int, unit_id: str, unit_name: str) -> str:
    """One realistic declaration's YAML text, at least the seed's size: balanced funding, consistent shares."""
    scale = rng.uniform(*TAIL_SCALE) if rng.random() < TAIL_SHARE else rng.uniform(*BODY_SCALE)
    w = Writer(rng, unit_id.rsplit("-", 1)[1])
    projects = _projects(rng, w, year, scale)
    basic = _money(rng, 100, 3000)
    hist = [[_money(rng, 100, 3000), _money(rng, 0, 500)] for _ in range(2)]
    approved = dt.date(year, 2, 1) + dt.timedelta(days=rng.randint(0, 40))
    lines = [
        "# 部门整体支出绩效目标申报表（合成数据，用于性能测试）",
        f"year: {year}", f"unit_id: {unit_id}", f"unit_name: {unit_name}",
        f"filing_date: {year}-01-{rng.randint(10, 28)}", "money_unit: 万元",
        f"leader: {rng.choice('张王李赵刘陈杨黄周吴熊姚')}{rng.choice('斌伟芳娜敏静丽强磊军洋')}",
        f"filer: {rng.choice('张王李赵刘陈杨黄周吴熊姚')}{rng.choice('尧晓春明华建国红梅')}",
        f"phone: {_phone(rng)}", "status: published",
        f"approval_date: {approved}", f"publication_date: {approved + dt.timedelta(days=rng.randint(1, 20))}",
        "", *_funding(year, basic, sum((b for _, b in projects), Decimal(0)), hist),
        "", "functions:",
        *[f"  - {_scalar(w.function(n, scale), '    ')}" for n in range(1, _count(rng, 'functions', scale) + 1)],
        "", "tasks:", *[f"  - {_q(w.task(n))}" for n in range(1, _count(rng, "tasks", scale) + 1)],
        "", "projects:", *[row for rows, _ in projects for row in rows],
        "", *_long_term(rng, w, year),
        "", "annual:", "  targets:",
        *[f"    - {_q(w.target(n))}" for n in range(1, _count(rng, "targets", scale) + 1)],
        *_goals(rng, w, scale),
    ]
    return "\n".join(lines) + "\n"




def synthesize(content: Path, count: int, years: int = 3, seed: int = 1, light: bool = False) -> list[Path]:
    """Write `count` declarations spread over `years` budget years ending in 2025; same seed, same files.

    Realistic (at least the seed's size) unless `light`: the old, lighter shape of earlier benchmark results.
    """
    rng = random.Random(seed)
    make = light_declaration if light else declaration
    units = -(-count // years)
    written = []
    for i in range(count):
        year = 2025 - i // units
        unit = i % units  # the same units file every year
        place, (code, bureau) = PLACES[unit % len(PLACES)], BUREAUS[(unit // len(PLACES)) % len(BUREAUS)]
        unit_id = f"u{unit:05d}-{code}"
        path = content / str(year) / f"{unit_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(make(rng, year, unit_id, f"{place}市{bureau}（第 {unit + 1} 号）"), encoding="utf-8")
        written.append(path)
    return written


# --------------------------------------------------------------------------- how heavy a corpus is

SIZE_KEYS = ("bytes", "functions", "tasks", "targets", "goals", "indicators", "projects", "text_chars")


def _chars(value: object) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(_chars(v) for v in value.values())
    return sum(_chars(v) for v in value) if isinstance(value, list) else 0


def measure(path: Path) -> dict[str, int]:
    """A declaration file's size: bytes, rows of each kind, and characters of text (every string value)."""
    import yaml

    text = path.read_text("utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    annual, long_term = data.get("annual") or {}, data.get("long_term") or {}
    goals = annual.get("goals") or []
    return {"bytes": len(text.encode()), "functions": len(data.get("functions") or []),
            "tasks": len(data.get("tasks") or []), "targets": len(annual.get("targets") or []),
            "goals": len(goals), "projects": len(data.get("projects") or []),
            "indicators": sum(len(g.get("indicators") or []) for g in goals)
            + len(long_term.get("indicators") or []),
            "text_chars": _chars(data)}
