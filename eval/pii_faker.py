"""Random but well-formed values for the PII dataset: fictional people and places of 示例市.

Used by :mod:`eval.pii_dataset`. Valid check digits unless a caller asks for invalid ones.
"""

from __future__ import annotations

import random

from assistant.privacy.checksums import credit_code_check_char, id_check_char, luhn_check_digit

# --------------------------------------------------------------------------- vocabulary

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
    "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱"
    "严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁"
)
COMPOUND_SURNAMES = [
    "欧阳",
    "诸葛",
    "司马",
    "上官",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
    "令狐",
    "钟离",
    "南宫",
    "西门",
    "端木",
]
GIVEN_TWO = [
    "秀英",
    "建华",
    "建国",
    "国强",
    "志强",
    "海燕",
    "晓明",
    "子涵",
    "梓萱",
    "一诺",
    "浩然",
    "宇轩",
    "欣怡",
    "佳怡",
    "思远",
    "俊杰",
    "文博",
    "雨婷",
    "家豪",
    "晨曦",
    "美玲",
    "玉兰",
    "淑珍",
    "德华",
    "春梅",
    "红梅",
    "小红",
    "立新",
    "卫东",
    "建军",
    "永福",
    "金凤",
    "丽娟",
    "婷婷",
    "桂兰",
    "志明",
    "秋菊",
    "振华",
    "玉珍",
    "海涛",
    "丽华",
    "明辉",
    "红霞",
    "晓燕",
    "文静",
    "凤英",
    "国华",
    "秀珍",
    "天佑",
    "梦琪",
    "静怡",
    "子豪",
    "博文",
    "思彤",
    "雅琴",
]
GIVEN_ONE = "伟芳娜敏静丽强磊军洋勇艳杰娟涛超霞平刚琳颖慧婷雪琪瑶璐斌彬辉亮峰晨鹏飞翔凯"
HONORIFICS = ["先生", "女士", "阿姨", "大爷", "师傅", "老师", "大姐", "奶奶", "大哥", "小姐"]

DISTRICTS = {
    "东湖区": ["东门街道", "桃源街道", "湖滨街道"],
    "西山区": ["枫林街道", "西山街道", "石桥镇"],
    "南江区": ["江南街道", "滨江街道", "南苑街道"],
    "高新区": ["创新街道", "科技城街道"],
    "青石县": ["青石镇", "白沙镇", "柳河乡"],
}
ROADS = [
    "滨江路",
    "湖滨路",
    "解放北路",
    "建设路",
    "人民大道",
    "学府街",
    "青石巷",
    "长江中路",
    "枫林路",
    "桃源南路",
    "科技大道",
    "创新一路",
    "白沙街",
    "柳河路",
    "东门大街",
    "新华路",
    "胜利街",
    "文化路",
    "和平巷",
    "朝阳路",
    "光明路",
    "中山大道",
]
ESTATES = [
    "阳光花园小区",
    "锦绣家园",
    "滨江新村",
    "御景苑",
    "金色华庭",
    "梧桐公寓",
    "翠湖山庄",
    "南湖小区",
    "和平小区",
    "幸福家园",
    "学府名苑",
    "枫林嘉园",
    "湖畔花园",
    "书香华府",
    "桃源小区",
    "供电局家属院",
    "银河公寓",
    "东方明珠花园",
    "紫荆苑",
    "江景华庭",
]
VILLAGES = ["张家村", "李庄村", "柳河村", "白沙村", "石门村", "上坪村"]
ID_AREAS = [
    "620102",
    "620103",
    "620104",
    "620105",
    "110105",
    "310101",
    "440305",
    "510104",
    "330106",
    "420111",
    "610113",
    "370102",
]
BANK_BINS = [
    "622202",
    "621700",
    "622848",
    "623668",
    "621661",
    "622588",
    "621226",
    "622700",
    "625965",
    "621483",
]
AREA_CODES = ["0931", "010", "021", "0755", "029", "028", "0571", "027"]
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "175",
    "176",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
]
PLATE_PROVINCES = "甘甘甘京沪粤川陕宁青新豫鲁苏浙"
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
EMAIL_DOMAINS = [
    "163.com",
    "qq.com",
    "126.com",
    "sina.com",
    "gmail.com",
    "example.cn",
    "foxmail.com",
]
PINYIN = [
    "zhangwei",
    "liuyang",
    "wangfang",
    "chenjing",
    "lixia",
    "zhaolei",
    "sunli",
    "zhouhao",
    "wuming",
    "xuqing",
    "maojun",
    "hulan",
]
CN_NUMERALS = "零一二三四五六七八九"

DOC_NOS = [
    "国办函〔2025〕66号",
    "甘政办发〔2025〕69号",
    "示政办发〔2024〕12号",
    "川办发〔2025〕8号",
    "示人社发〔2025〕21号",
]
HOTLINES = ["12345", "12315", "110", "119", "120", "122", "12333", "12366"]
ISSUES = [
    "楼下商户夜间噪音扰民",
    "小区门口占道经营",
    "物业费收费标准不清楚",
    "供暖温度不达标",
    "公司拖欠工资三个月",
    "医保报销进度",
    "孩子入学户籍材料",
    "公积金提取手续",
    "楼道堆放杂物存在消防隐患",
    "路灯不亮",
    "下水道堵塞",
    "装修垃圾无人清运",
]


class Faker:
    """Random but well-formed values (valid check digits unless asked otherwise)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def surname(self) -> str:
        if self.rng.random() < 0.2:
            return self.rng.choice(COMPOUND_SURNAMES)
        return self.rng.choice(SURNAMES)

    def full_name(self, surname: str | None = None) -> str:
        surname = surname or self.surname()
        if self.rng.random() < 0.6:
            return surname + self.rng.choice(GIVEN_TWO)
        return surname + self.rng.choice(GIVEN_ONE)

    def honorific_name(self, surname: str | None = None) -> str:
        return (surname or self.surname()) + self.rng.choice(HONORIFICS)

    def mobile_digits(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + self.digits(8)

    def mobile(self, style: str | None = None) -> str:
        number = self.mobile_digits()
        style = style or self.rng.choice(
            ["plain"] * 6 + ["space", "dash", "+86", "0086", "fullwidth"]
        )
        if style == "space":
            return f"{number[:3]} {number[3:7]} {number[7:]}"
        if style == "dash":
            return f"{number[:3]}-{number[3:7]}-{number[7:]}"
        if style == "+86":
            return "+86 " + number
        if style == "0086":
            return "0086" + number
        if style == "fullwidth":
            return number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
        if style == "spoken":
            return self.spoken(number)
        return number

    def spoken(self, number: str) -> str:
        one = self.rng.choice(["幺", "一"])
        out = []
        for ch in number:
            if ch == "1":
                out.append(one)
            elif ch == "0":
                out.append(self.rng.choice(["零", "零", "洞"]) if one == "幺" else "零")
            elif ch == "2" and self.rng.random() < 0.15:
                out.append("两")
            else:
                out.append(CN_NUMERALS[int(ch)])
        return "".join(out)

    def birth(self) -> str:
        year = self.rng.randint(1945, 2006)
        month = self.rng.randint(1, 12)
        day = self.rng.randint(1, 28)
        return f"{year}{month:02d}{day:02d}"

    def id_card(self, valid: bool = True, style: str = "plain") -> str:
        body = self.rng.choice(ID_AREAS) + self.birth() + self.digits(3)
        check = id_check_char(body)
        if not valid:
            check = self.rng.choice([c for c in "0123456789X" if c != check])
        number = body + check
        if style == "lower":
            number = number.lower()
        if style == "space":
            return f"{number[:6]} {number[6:14]} {number[14:]}"
        return number

    def id_card_x(self) -> str:
        while True:
            body = self.rng.choice(ID_AREAS) + self.birth() + self.digits(3)
            if id_check_char(body) == "X":
                return body + "X"

    def legacy_id(self) -> str:
        return self.rng.choice(ID_AREAS) + self.birth()[2:] + self.digits(3)

    def bank_card(self, valid: bool = True, style: str = "plain") -> str:
        length = self.rng.choice([16, 19, 19])
        body = self.rng.choice(BANK_BINS) + self.digits(length - 7)
        check = luhn_check_digit(body)
        if not valid:
            check = str((int(check) + self.rng.randint(1, 9)) % 10)
        number = body + check
        if style == "space":
            return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
        return number

    def landline(self) -> str:
        area = self.rng.choice(AREA_CODES)
        local = self.rng.choice("2345678") + self.digits(7 if area in ("010", "021") else 6)
        style = self.rng.choice(["dash", "dash", "bracket", "plain", "ext"])
        if style == "bracket":
            return f"（{area}）{local}"
        if style == "plain":
            return area + local
        if style == "ext":
            return f"{area}-{local}转{self.digits(3)}"
        return f"{area}-{local}"

    def email(self) -> str:
        local = self.rng.choice(PINYIN) + self.rng.choice(
            ["", self.digits(2), self.digits(4), "_" + self.digits(3)]
        )
        return f"{local}@{self.rng.choice(EMAIL_DOMAINS)}"

    def plate(self) -> str:
        head = self.rng.choice(PLATE_PROVINCES) + self.rng.choice(PLATE_LETTERS)
        kind = self.rng.random()
        if kind < 0.2:
            serial = (
                self.rng.choice("DF")
                + self.rng.choice(PLATE_LETTERS + "0123456789")
                + self.digits(4)
            )
        elif kind < 0.3:
            serial = self.digits(5) + self.rng.choice("DF")
        else:
            serial = self.digits(5)
            if self.rng.random() < 0.4:
                pos = self.rng.randint(0, 4)
                serial = serial[:pos] + self.rng.choice(PLATE_LETTERS) + serial[pos + 1 :]
        sep = self.rng.choice(["", "", "", "·"])
        return head + sep + serial

    def passport(self) -> str:
        if self.rng.random() < 0.5:
            return "E" + self.digits(8)
        return "E" + self.rng.choice(PLATE_LETTERS) + self.digits(7)

    def permit(self) -> tuple[str, str]:
        kind = self.rng.choice(["hk", "home", "tw"])
        if kind == "hk":
            return "港澳通行证", "C" + self.digits(8)
        if kind == "home":
            return "回乡证", self.rng.choice("HM") + self.digits(8)
        return "台胞证", self.digits(8)

    def qq(self) -> str:
        return self.rng.choice("123456789") + self.digits(self.rng.randint(5, 9))

    def wechat(self) -> str:
        return (
            self.rng.choice(["wxid_", "", ""])
            + self.rng.choice(PINYIN)
            + self.digits(self.rng.randint(2, 4))
        )

    def credit_code(self) -> str:
        body = self.rng.choice(["91", "92", "12", "52"]) + self.rng.choice(ID_AREAS)
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        body += "MA" + "".join(self.rng.choice(alphabet) for _ in range(7))
        return body + credit_code_check_char(body)

    def work_order(self) -> str:
        return f"GD2025{self.rng.randint(1, 12):02d}{self.rng.randint(1, 28):02d}{self.digits(6)}"

    def place(self) -> tuple[str, str]:
        district = self.rng.choice(list(DISTRICTS))
        return district, self.rng.choice(DISTRICTS[district])

    def number(self, low: int, high: int, spoken: bool = False) -> str:
        value = self.rng.randint(low, high)
        if spoken:
            return "".join(CN_NUMERALS[int(c)] for c in str(value))
        return str(value)

    def address(self, spoken: bool = False) -> str:
        """The masked part of an address (below the street office)."""
        kind = self.rng.random()
        room = f"{self.number(1, 30)}0{self.number(1, 9)}"
        if spoken:
            room = "".join(CN_NUMERALS[int(c)] for c in room)
        bldg = self.number(1, 28, spoken) + self.rng.choice(["栋", "号楼", "幢"])
        unit = self.number(1, 6, spoken) + "单元"
        if kind < 0.3:
            road = self.rng.choice(ROADS) + self.number(1, 399) + "号"
            if self.rng.random() < 0.5:
                return road + self.rng.choice(ESTATES) + bldg + unit + room + "室"
            return road
        if kind < 0.65:
            estate = self.rng.choice(ESTATES)
            tail = self.rng.choice(
                [bldg + unit + room + "室", bldg + unit + room, bldg + room + "室", ""]
            )
            if spoken and not tail:
                tail = bldg + unit + room + "室"
            return estate + tail
        if kind < 0.8:
            return self.rng.choice(ESTATES) + f"{self.number(1, 28)}-{self.number(1, 6)}-{room}"
        if kind < 0.9:
            return self.rng.choice(ROADS) + self.number(1, 200) + "号院" + bldg + unit + room + "室"
        return f"{self.number(1, 12)}组{self.number(1, 80)}号"
