"""Build the labelled PII dataset (eval/datasets/pii_dev.jsonl) deterministically.

    python -m eval.pii_dataset            # rewrites eval/datasets/pii_dev.jsonl
    python -m eval.pii_dataset --holdout3 # (--holdout, --holdout2, --holdout4, --holdout5): a hold-out set

Texts are written in a small markup and parsed into text + labelled spans:
``[[M:13812345678]]`` is an entity (type alias below), ``{{12345}}`` a look-alike that must
survive masking. Generated texts come from templates filled with random but valid values
(fixed seed); ``eval/datasets/pii_hard.txt`` adds hand-written hard cases in the same markup.
Every person, place and number is fictional (示例市 and its districts); most ID numbers and
bank cards carry valid check digits, some deliberately do not and rely on context.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from pathlib import Path

from eval.pii_faker import DOC_NOS, HONORIFICS, HOTLINES, ISSUES, ROADS, Faker

DATASETS = Path(__file__).resolve().parent / "datasets"
OUTPUT = DATASETS / "pii_dev.jsonl"
HARD_CASES = DATASETS / "pii_hard.txt"
HOLDOUT_CASES = DATASETS / "pii_holdout.txt"
HOLDOUT_OUTPUT = DATASETS / "pii_holdout.jsonl"
HOLDOUT2_CASES = DATASETS / "pii_holdout2.txt"
HOLDOUT2_OUTPUT = DATASETS / "pii_holdout2.jsonl"
# Later hand-written hold-out sets: ``--holdout3`` builds pii_holdout3.jsonl from .txt, etc.
LATER_HOLDOUTS = ("holdout3", "holdout4", "holdout5")
SEED = 20251201

ALIASES = {
    "P": "PERSON",
    "M": "CN_MOBILE",
    "L": "CN_LANDLINE",
    "I": "CN_ID_CARD",
    "B": "CN_BANK_CARD",
    "E": "EMAIL_ADDRESS",
    "V": "CN_LICENSE_PLATE",
    "PP": "CN_PASSPORT",
    "T": "CN_TRAVEL_PERMIT",
    "S": "CN_SOCIAL_ACCOUNT",
    "A": "CN_ADDRESS",
}
_MARKUP = re.compile(r"\[\[([A-Z]+):(.+?)\]\]|\{\{(.+?)\}\}")


def parse_markup(markup: str) -> tuple[str, list[dict], list[str]]:
    """Text, labelled entities and must-keep strings from one markup line."""
    pieces: list[str] = []
    entities: list[dict] = []
    keep: list[str] = []
    cursor = 0
    length = 0
    for match in _MARKUP.finditer(markup):
        plain = markup[cursor : match.start()]
        pieces.append(plain)
        length += len(plain)
        if match.group(1):
            value = match.group(2)
            entities.append(
                {
                    "type": ALIASES[match.group(1)],
                    "start": length,
                    "end": length + len(value),
                    "value": value,
                }
            )
        else:
            value = match.group(3)
            keep.append(value)
        pieces.append(value)
        length += len(value)
        cursor = match.end()
    pieces.append(markup[cursor:])
    return "".join(pieces), entities, keep


# --------------------------------------------------------------------------- templates


def _name_intro(f: Faker) -> tuple[str, str]:
    """A name introduced the way callers and operators do; returns (markup, surname)."""
    surname = f.surname()
    full = f.full_name(surname)
    form = f.rng.choice(
        [
            "我叫{full}",
            "我叫{full}",
            "来电人：{full}",
            "来电人{full}",
            "联系人：{full}",
            "诉求人{full}",
            "我是{full}",
            "姓名：{full}",
            "市民{full}",
            "{hon}",
            "{hon}",
            "我姓{sur}，叫{full}",
            "免贵姓{sur}，{full}",
            "业主{full}",
            "我爱人{full}",
            "{fullhon}",
        ]
    )
    honorific = surname + f.rng.choice(HONORIFICS)
    markup = (
        form.replace("{fullhon}", f"[[P:{full}{f.rng.choice(HONORIFICS[:2])}]]")
        .replace("{full}", f"[[P:{full}]]")
        .replace("{hon}", f"[[P:{honorific}]]")
        .replace("{sur}", f"[[P:{surname}]]")
    )
    return markup, surname


def _place_prefix(f: Faker) -> str:
    district, street = f.place()
    style = f.rng.choice(["full", "district", "street", "none"])
    if style == "full":
        return f"示例市{{{{{district}}}}}{{{{{street}}}}}"
    if style == "district":
        return f"{{{{{district}}}}}"
    if style == "street":
        return f"{{{{{street}}}}}"
    return ""


def work_order(f: Faker) -> str:
    name, _ = _name_intro(f)
    phone = f"[[M:{f.mobile()}]]" if f.rng.random() < 0.8 else f"[[L:{f.landline()}]]"
    parts = [f"工单编号：{{{{{f.work_order()}}}}}。", f"{name}，联系电话{phone}。"]
    if f.rng.random() < 0.5:
        parts.append(f"身份证号[[I:{f.id_card()}]]。")
    parts.append(f"来电反映：住在{_place_prefix(f)}[[A:{f.address()}]]，{f.rng.choice(ISSUES)}，")
    parts.append(f"希望{{{{{f.rng.randint(3, 15)}个工作日}}}}内答复。")
    if f.rng.random() < 0.3:
        parts.append(f"受理时间{{{{2025年{f.rng.randint(1, 12)}月{f.rng.randint(1, 28)}日}}}}。")
    return "".join(parts)


def transcript(f: Faker) -> str:
    name, surname = _name_intro(f)
    turns = [
        "坐席：您好，{{12345}}热线，请讲。",
        f"市民：你好，{name}，想反映{f.rng.choice(ISSUES)}。",
    ]
    turns.append("坐席：请问您的联系电话？")
    turns.append(f"市民：[[M:{f.mobile(f.rng.choice(['plain', 'space', 'spoken', 'spoken']))}]]。")
    extra = f.rng.random()
    if extra < 0.3:
        turns.append("坐席：请提供一下身份证号码。")
        turns.append(
            f"市民：[[I:{f.id_card(style=f.rng.choice(['plain', 'plain', 'space', 'lower']))}]]。"
        )
    elif extra < 0.5:
        turns.append("坐席：您的银行卡号是多少？")
        turns.append(f"市民：卡号是[[B:{f.bank_card(style=f.rng.choice(['plain', 'space']))}]]。")
    elif extra < 0.65:
        turns.append("坐席：车牌号多少？")
        turns.append(f"市民：车牌[[V:{f.plate()}]]，被贴条了。")
    turns.append("坐席：请问具体地址在哪里？")
    turns.append(f"市民：{_place_prefix(f)}[[A:{f.address()}]]。")
    turns.append(
        f"坐席：好的[[P:{surname}{f.rng.choice(HONORIFICS[:2])}]]，我们会在{{{{3个工作日}}}}内联系您。"
    )
    return "\n".join(turns)


def asr(f: Faker) -> str:
    """Speech-recognition output: no punctuation, dictated digits, spoken room numbers."""
    name, _ = _name_intro(f)
    name = name.replace("：", "").replace("，", "")
    parts = [f"喂你好 {name} 我的手机号是[[M:{f.mobile('spoken')}]]"]
    if f.rng.random() < 0.4:
        parts.append(f"身份证号[[I:{f.spoken(f.id_card())}]]")
    parts.append(
        f"我家住在{_place_prefix(f)}[[A:{f.address(spoken=True)}]] {f.rng.choice(ISSUES)} 麻烦尽快处理"
    )
    return " ".join(parts)


def short_query(f: Faker) -> str:
    kind = f.rng.choice(
        [
            "bank",
            "bank_invalid",
            "id_invalid",
            "legacy",
            "email",
            "plate",
            "qq",
            "wechat",
            "passport",
            "permit",
            "landline",
            "id_x",
        ]
    )
    if kind == "bank":
        return f"帮我查一下社保卡[[B:{f.bank_card(style=f.rng.choice(['plain', 'space']))}]]的余额，工资是{{{{{f.rng.randint(2, 9)}000元}}}}。"
    if kind == "bank_invalid":
        return f"我的银行卡号[[B:{f.bank_card(valid=False)}]]收不到补贴，已经{{{{{f.rng.randint(2, 6)}个月}}}}了。"
    if kind == "id_invalid":
        return f"我身份证号码是[[I:{f.id_card(valid=False)}]]，社保一直查不到。"
    if kind == "legacy":
        return f"老身份证号[[I:{f.legacy_id()}]]，现在要换新的。"
    if kind == "email":
        return f"请把回复发到我邮箱[[E:{f.email()}]]，谢谢。"
    if kind == "plate":
        return f"车牌号[[V:{f.plate()}]]的车在{_place_prefix(f)}{f.rng.choice(ROADS)}长期占道停车。"
    if kind == "qq":
        return f"联系我可以加QQ[[S:{f.qq()}]]。"
    if kind == "wechat":
        return f"我的微信号是[[S:{f.wechat()}]]，方便的话加一下。"
    if kind == "passport":
        return f"我在国外，护照号码[[PP:{f.passport()}]]，想咨询社保转移。"
    if kind == "permit":
        label, number = f.permit()
        return f"我是港澳台居民，{label}号码[[T:{number}]]，想办理居住证。"
    if kind == "landline":
        return f"我家座机[[L:{f.landline()}]]，白天没人接。"
    return f"身份证[[I:{f.id_card_x()}]]，户口在{_place_prefix(f)}。"


def mixed_record(f: Faker) -> str:
    """A dense record with many kinds of data at once (an agent's notes)."""
    name = f.full_name()
    return (
        f"回访记录：来电人[[P:{name}]]，电话[[M:{f.mobile()}]]，邮箱[[E:{f.email()}]]，"
        f"车辆[[V:{f.plate()}]]，住址{_place_prefix(f)}[[A:{f.address()}]]。"
        f"已按{{{{{f.rng.choice(DOC_NOS)}}}}}答复，满意。"
    )


def lookalike(f: Faker) -> str:
    """No personal data at all: numbers and names that must survive untouched."""
    district, street = f.place()
    forms = [
        f"根据{{{{{f.rng.choice(DOC_NOS)}}}}}文件精神，自{{{{2025年{f.rng.randint(1, 12)}月{f.rng.randint(1, 28)}日}}}}起，新政策受理时限为{{{{{f.rng.choice([3, 5, 7, 15])}个工作日}}}}。",
        f"工单{{{{{f.work_order()}}}}}已于{{{{2025-{f.rng.randint(1, 12):02d}-{f.rng.randint(1, 28):02d}}}}}办结，转{{{{{district}}}}}{{{{{street}}}}}处理。",
        f"遇到火灾请拨打{{{{119}}}}，医疗急救拨打{{{{120}}}}，交通事故拨打{{{{122}}}}，其他诉求拨打{{{{{f.rng.choice(HOTLINES)}}}}}。",
        f"补贴标准为每人每月{{{{{f.rng.randint(2, 30) * 50}元}}}}，一次性发放{{{{{f.rng.randint(1, 9)},{f.rng.randint(100, 999)}.00元}}}}。",
        f"企业统一社会信用代码{{{{{f.credit_code()}}}}}，注册地址在{{{{{district}}}}}。",
        f"{{{{{district}}}}}{{{{{street}}}}}辖区内{{{{{f.rng.choice(ROADS)}}}}}路段施工，预计持续{{{{{f.rng.randint(2, 30)}天}}}}。",
        f"本条政策依据{{{{{f.rng.choice(DOC_NOS)}}}}}第三条，有效期至{{{{2026年12月31日}}}}。",
        "工作时间为{{8:30}}至{{17:30}}，市民可拨打{{0931-12345}}咨询。",
        f"{{{{2025年}}}}全市受理诉求{{{{{f.rng.randint(10, 99)}万件}}}}，按期办结率{{{{{f.rng.randint(90, 99)}.{f.rng.randint(1, 9)}%}}}}。",
        f"请于{{{{{f.rng.randint(1, 12)}月{f.rng.randint(1, 28)}日}}}}前到{{{{{street}}}}}便民服务中心办理，逾期{{{{{f.rng.randint(1, 3)}个月}}}}不再受理。",
    ]
    return f.rng.choice(forms)


GENERATORS: list[tuple[str, Callable[[Faker], str], int]] = [
    ("work_order", work_order, 70),
    ("transcript", transcript, 60),
    ("asr", asr, 35),
    ("short", short_query, 55),
    ("mixed", mixed_record, 20),
    ("lookalike", lookalike, 45),
]


def markup_lines(path: Path = HARD_CASES) -> list[str]:
    """Hand-written markup lines of ``path`` (blank lines and # comments skipped)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def build_holdout(path: Path = HOLDOUT_CASES, prefix: str = "holdout") -> list[dict]:
    """A held-out hand-written set (``pii_holdout*.txt``), not used for tuning."""
    records = []
    for i, line in enumerate(markup_lines(path)):
        text, entities, keep = parse_markup(line)
        records.append(
            {
                "id": f"{prefix}-{i + 1:03d}",
                "kind": "holdout",
                "text": text,
                "entities": entities,
                "keep": keep,
            }
        )
    return records


def build(seed: int = SEED) -> list[dict]:
    """Every record of the dataset, generated ones first, then the hand-written cases."""
    f = Faker(random.Random(seed))
    records = []
    for kind, generate, count in GENERATORS:
        for i in range(count):
            text, entities, keep = parse_markup(generate(f))
            records.append(
                {
                    "id": f"{kind}-{i + 1:03d}",
                    "kind": kind,
                    "text": text,
                    "entities": entities,
                    "keep": keep,
                }
            )
    for i, line in enumerate(markup_lines()):
        text, entities, keep = parse_markup(line)
        records.append(
            {
                "id": f"hard-{i + 1:03d}",
                "kind": "hard",
                "text": text,
                "entities": entities,
                "keep": keep,
            }
        )
    return records


def write(path: Path = OUTPUT, seed: int = SEED, records: list[dict] | None = None) -> int:
    """Write the dataset as JSON Lines; returns the number of records."""
    records = build(seed) if records is None else records
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(records)


if __name__ == "__main__":
    import sys

    later = [name for name in LATER_HOLDOUTS if f"--{name}" in sys.argv]
    if later:
        name = later[0]
        records = build_holdout(DATASETS / f"pii_{name}.txt", name)
        target = DATASETS / f"pii_{name}.jsonl"
        print(f"wrote {write(target, records=records)} records to {target}")
    elif "--holdout2" in sys.argv:
        records = build_holdout(HOLDOUT2_CASES, "holdout2")
        print(f"wrote {write(HOLDOUT2_OUTPUT, records=records)} records to {HOLDOUT2_OUTPUT}")
    elif "--holdout" in sys.argv:
        print(f"wrote {write(HOLDOUT_OUTPUT, records=build_holdout())} records to {HOLDOUT_OUTPUT}")
    else:
        print(f"wrote {write()} records to {OUTPUT}")
