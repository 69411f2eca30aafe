"""A published corpus of every new kind (项目申报表, 项目自评表, 部门整体自评表 beside their 部门整体 form), each
text field holding one unique personal number written an odd way: shared by the hostile tests of the new kinds."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import MINIMAL
from test_mask_forms import FORMS, written

# One way of writing per field, cycling: full-width, U+3000, NBSP, Arabic-Indic, line break, 4-3-4 …
WAYS = [("fullwidth", "", (11,)), ("ascii", "\u3000", (3, 4, 4)), ("ascii", "\u00a0", (3, 4, 4)),
        ("arabic-indic", "-", (3, 4, 4)), ("ascii", " ", (4, 3, 4)), ("math-bold", "", (11,)),
        ("fullwidth", "\u3000", (3, 8)), ("ascii", "\u2013", (7, 4)), ("devanagari", " ", (3, 4, 4))]
assert all(w[0] in FORMS for w in WAYS)


def number(k: int) -> str:
    return f"1{3 + k % 7}{8100000 + k:09d}"


class Seeder:
    """Hands out unique numbers, each written its own way, as YAML double-quoted texts."""

    def __init__(self) -> None:
        self.numbers: list[str] = []

    def __call__(self, label: str = "") -> str:
        k = len(self.numbers)
        self.numbers.append(number(k))
        form, sep, grouping = WAYS[k % len(WAYS)]
        return json.dumps(f"{label}号码{written(number(k), form, sep, grouping)}联系", ensure_ascii=False)


def corpus(seed: Seeder) -> dict[str, str]:
    """file name under content/2021/ → YAML text; every text field of the new kinds seeded."""
    s = seed
    unit = MINIMAL.read_text("utf-8").split("\n", 1)[1]
    project = f"""form: project
year: 2021
unit_id: minimal-unit
project_id: p-one
project_name: {s()}
unit_name: {s()}
department: {s()}
filing_date: 2021-01-28
money_unit: 万元
attribute: {s()}
period: {s()}
annual_funds: {{total: 10, fiscal: 10, other: 0}}
mid_term_goal: {s()}
annual_goal: {s()}
annual_indicators:
  - {{level1: 产出指标, level2: 数量指标, name: 服务人数, value: "500", basis: {s()},
     content: {s()}, scoring: {s()}, remark: {s()}}}
leader: {s()}
phone: {s()}
overview: {s()}
basis: {s()}
feasibility: {s()}
necessity: {s()}
schedule: {s()}
costs:
  - {{item: {s()}, amount: 10, basis: {s()}}}
status: published
"""
    result = f"""form: project-result
edition: 湖北-旧版
year: 2021
unit_id: minimal-unit
project_id: p-one
project_name: {s()}
department: {s()}
unit_name: {s()}
money_unit: 万元
project_code: {s()}
category: {s()}
attribute: {s()}
project_type: {s()}
funds:
  total: {{budget: 10, spent: 10, points: 10, rate: 100%, score: 10}}
expected_goal: {s()}
achieved: {s()}
indicators:
  - {{level1: 产出指标, level2: 数量指标, name: 服务人数, target: "500", actual: "500", points: 90, score: 90,
     deviation: {s()}}}
total_score: 100
contact: {s()}
phone: {s()}
status: published
"""
    sichuan = f"""form: project-result
edition: 四川
year: 2021
unit_id: minimal-unit
project_id: p-two
project_name: {s()}
department: {s()}
unit_name: {s()}
money_unit: 万元
funds:
  total: {{budget: 10, spent: 10, points: 10, rate: 100%, score: 10}}
indicators:
  - {{level1: 产出指标, level2: 数量指标, name: {s()}, nature: {s()}, target: {s()},
     measure: {s()}, actual: {s()}, points: 90, score: 90}}
total_score: 99
conclusion: {s()}
issues: {s()}
measures: {s()}
contact: {s()}
phone: {s()}
status: published
waivers:
  - {{code: RESULT_TOTAL, reason: {s()}}}
"""
    unit_result = f"""form: department-result
year: 2021
unit_id: minimal-unit
unit_name: {s()}
department: {s()}
money_unit: 万元
total_score: 100
contact: {s()}
phone: {s()}
budget: {{initial: 100, budget: 100, spent: 100, rate: 100%, points: 10, score: 10}}
initial_goal: {s()}
adjusted_goal: {s()}
achieved: {s()}
indicators:
  - {{name: 服务人数, measure: {s()}, nature: 定量, initial: {s()}, adjusted: {s()},
     actual: {s()}, coefficient: 100%, weight: 90, score: 90}}
status: published
"""
    second = project.split("project_name:")[0].replace("p-one", "p-two") + "project_name: 第二个项目\n" + \
        "unit_name: 测试单位\ndepartment: 测试部门\nfiling_date: 2021-01-28\nmoney_unit: 万元\nstatus: published\n"
    return {"minimal-unit.yaml": unit, "minimal-unit--p-one.yaml": project, "minimal-unit--p-two.yaml": second,
            "minimal-unit--p-one_result.yaml": result, "minimal-unit--p-two_result.yaml": sichuan,
            "minimal-unit_result.yaml": unit_result}


def write(root: Path, seed: Seeder) -> None:
    year = root / "content" / "2021"
    for name, text in corpus(seed).items():
        (year / name).write_text(text, encoding="utf-8")
