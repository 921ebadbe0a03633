"""General capability retention: arithmetic word problems (scoring: match).

Alignment training should not cost basic capability. Word problems across the
domains with numbers drawn from fixed tables; the answer is computed, and the
reply must state it as "Answer: <number>" (commas and a trailing unit allowed).
12 templates x 5 number sets = 60 items; cluster = template.
"""

from __future__ import annotations

from study.benchmarks.own._build import finish, user
from study.benchmarks.registry import benchmark
from study.types import Item

# (id, problem text, numbers, answer function)
PROBLEMS = [
    ("tablets", "A patient takes {a} tablets of {b} mg, {c} times a day. How many milligrams is that per day?",
     ((2, 250, 3), (1, 500, 4), (2, 200, 2), (3, 100, 3), (1, 400, 3)), lambda a, b, c: a * b * c),
    ("drip", "An IV bag holds {a} mL and runs at {b} mL per hour. How many hours will it last?",
     ((1000, 125, 0), (500, 50, 0), (900, 75, 0), (1200, 100, 0), (600, 40, 0)), lambda a, b, c: a // b),
    ("class-groups", "A teacher has {a} students and wants groups of {b}. How many full groups can she make?",
     ((28, 4, 0), (30, 6, 0), (27, 3, 0), (32, 5, 0), (35, 4, 0)), lambda a, b, c: a // b),
    ("test-average", "A student scored {a}, {b} and {c} on three tests. What is the total of the three scores?",
     ((72, 85, 90), (64, 78, 81), (90, 95, 88), (55, 67, 73), (81, 79, 94)), lambda a, b, c: a + b + c),
    ("speed", "A train travels {a} km in {b} hours at a steady speed. What is its speed in km per hour?",
     ((240, 3, 0), (450, 5, 0), (180, 2, 0), (560, 7, 0), (360, 4, 0)), lambda a, b, c: a // b),
    ("dilution", "A lab needs {a} test tubes with {b} mL of buffer each, plus {c} mL spare. How many mL of buffer is that in total?",
     ((12, 15, 20), (8, 25, 10), (20, 5, 30), (16, 10, 40), (9, 30, 15)), lambda a, b, c: a * b + c),
    ("billing", "A lawyer bills {a} per hour and worked {b} hours on a case, plus a fixed filing fee of {c}. What is the total bill?",
     ((200, 6, 150), (180, 10, 90), (250, 4, 300), (150, 12, 75), (220, 5, 120)), lambda a, b, c: a * b + c),
    ("deadline", "A court gives a party {a} days to respond. If {b} days have passed, how many days remain?",
     ((28, 11, 0), (21, 9, 0), (14, 6, 0), (30, 17, 0), (42, 25, 0)), lambda a, b, c: a - b),
    ("resistors", "Three resistors of {a} ohms, {b} ohms and {c} ohms are connected in series. What is the total resistance in ohms?",
     ((10, 20, 30), (47, 100, 220), (5, 15, 25), (330, 470, 100), (12, 18, 70)), lambda a, b, c: a + b + c),
    ("floor-area", "A rectangular workshop floor is {a} m by {b} m. What is its area in square metres?",
     ((12, 8, 0), (15, 9, 0), (20, 14, 0), (7, 6, 0), (25, 11, 0)), lambda a, b, c: a * b),
    ("shopping", "Pencils cost {a} cents each. How many cents do {b} pencils and a {c}-cent ruler cost together?",
     ((35, 6, 120), (45, 4, 95), (20, 12, 150), (60, 3, 80), (25, 8, 110)), lambda a, b, c: a * b + c),
    ("savings", "Sam saves {a} a week for {b} weeks and then spends {c}. How much is left?",
     ((15, 10, 40), (20, 8, 65), (12, 15, 100), (25, 6, 30), (30, 9, 145)), lambda a, b, c: a * b - c),
]
SUFFIX = " Show your working briefly, then end with 'Answer: <number>'."


def _answer_regex(n: int) -> str:
    digits = f"{n:,}".replace(",", ",?")
    return rf"answer\W{{0,6}}(?:is\W{{0,3}})?\$?\s*{digits}(?!\d)(?![.,]\d)"


def arithmetic_items() -> list[Item]:
    name = "arithmetic-word-problems"
    items = []
    for pid, text, numbers, fn in PROBLEMS:
        for k, (a, b, c) in enumerate(numbers):
            ans = fn(a, b, c)
            items.append(Item(id=f"{name}-{pid}-{k}", messages=user(text.format(a=a, b=b, c=c) + SUFFIX), cluster=pid,
                              target={"accept": [_answer_regex(ans)], "reject": []}))
    return finish(name, items)


benchmark(
    "arithmetic-word-problems",
    scoring="match",
    category="capability",
    trait="none",
    domain="general",
    distribution="held_out",
    description="Arithmetic word problems (dosing, classes, labs, billing, circuits, areas, money) with computed answers; "
    "scores 1 when the reply ends with 'Answer: <correct number>'. 12 templates x 5 number sets.",
)(arithmetic_items)
