"""Synthetic content: N realistic, deterministic declarations that pass `disclose check` (for benchmarks)."""

from __future__ import annotations

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


def declaration(rng: random.Random, year: int, unit_id: str, unit_name: str) -> str:
    """One declaration's YAML text: balanced funding, consistent shares and projects."""
    projects = [(f"{rng.choice(SUBJECTS)}{rng.choice(['专项经费', '工作经费', '建设项目'])}",
                 _money(rng, 5, 300)) for _ in range(rng.randint(0, 8))]
    project_total = sum((b for _, b in projects), Decimal(0))
    basic = _money(rng, 100, 3000)
    spend = [basic, project_total]
    hist = [[_money(rng, 100, 3000), _money(rng, 0, 500)] for _ in range(2)]
    total = basic + project_total
    hist_totals = [hist[0][i] + hist[1][i] for i in range(2)]
    other = (total * Decimal("0.1")).quantize(Decimal("0.01"))
    other_hist = [min(Decimal(20), hist_totals[0]), min(Decimal(30), hist_totals[1])]
    income_hist = [[hist_totals[i] - other_hist[i] for i in range(2)], other_hist]
    lines = [
        f"year: {year}", f"unit_id: {unit_id}", f"unit_name: {unit_name}",
        f"filing_date: {year}-01-{rng.randint(10, 28)}", "money_unit: 万元",
        f"leader: {rng.choice('张王李赵刘陈杨黄周吴')}{rng.choice('伟芳娜敏静丽强磊军洋')}",
        f"filer: {rng.choice('张王李赵刘陈杨黄周吴')}{rng.choice('晓春明华建国红梅')}",
        f"phone: 0722-{rng.randint(6000000, 6999999)}", "status: published", "funding:",
        f"  history_years: [{year - 2}, {year - 1}]",
        *_rows("income", ["财政拨款", "其他资金"], [total - other, other], income_hist),
        *_rows("expenditure", ["基本支出", "项目支出"], spend, hist),
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


def synthesize(content: Path, count: int, years: int = 3, seed: int = 1) -> list[Path]:
    """Write `count` declarations spread over `years` budget years ending in 2025; same seed, same files."""
    rng = random.Random(seed)
    units = -(-count // years)
    written = []
    for i in range(count):
        year = 2025 - i // units
        unit = i % units  # the same units file every year
        place, (code, bureau) = PLACES[unit % len(PLACES)], BUREAUS[(unit // len(PLACES)) % len(BUREAUS)]
        unit_id = f"u{unit:05d}-{code}"
        path = content / str(year) / f"{unit_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(declaration(rng, year, unit_id, f"{place}市{bureau}（第 {unit + 1} 号）"), encoding="utf-8")
        written.append(path)
    return written
