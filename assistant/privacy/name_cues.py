"""The vocabulary around Chinese names: cue words, honorifics, titles and stop characters.

The name recognizer's logic lives in
:mod:`assistant.privacy.recognizers.zh_person_name_recognizer`; the words it looks for are
here, so that people who know hotline speech can extend them without reading the logic.
Regex alternatives are written longest first where one is a prefix of another.
"""

from __future__ import annotations

#: Words right before a name that say a person is being named → 0.85.
STRONG_CUES = (
    "我叫|我的名字叫|名字叫|名字是|名叫|叫做|本人叫|来电人|来电者|联系人|诉求人|反映人|投诉人|"
    "举报人|申请人|当事人|求助人|致电人|办理人|经办人|开户人|持卡人|收款人|付款人|报案人|受害人|"
    "姓名|户名|户主|监护人|委托人|代理人|收件人|承租人|出租人|"
    "乘客|司机|车主|患者|病人|家属|老人|儿子|女儿|丈夫|妻子|爱人|父亲|母亲|孩子|学生|法人|"
    "法定代表人|负责人|房东|房主|租客|老板|老伴|老公|老婆|媳妇|妈妈|爸爸|哥哥|姐姐|弟弟|妹妹|"
    "孙子|孙女|外孙|公公|婆婆|岳父|岳母|外婆|外公|姥姥|姥爷|儿媳|女婿|侄子|侄女|外甥|同事|"
    "朋友|同学|骑手|快递员|保安|保洁员|网格员|邻居家的"
)
#: Words that often, not always, precede a name (我是 + name or 我是 + place) → 0.7.
WEAK_CUES = "叫|我是|本人|市民|业主|住户|租户|居民|员工|职工|工人|网友|群众|村民|邻居"
#: Polite forms after a surname; the span includes them (〔姓名1〕 reads "Mr Zhang").
HONORIFICS = (
    "老先生|老太太|先生|女士|小姐|阿姨|大爷|大妈|大娘|大姐|大哥|大叔|师傅|老师|奶奶|爷爷|"
    "婆婆|伯伯|叔叔|同志|经理|医生|律师|警官"
)
#: Job titles after a surname (刘主任, 陈科长, 马书记). Unlike honorifics they also end
#: ordinary words (班主任, 支部书记), so the surname must be a word of its own.
TITLES = (
    "总经理|董事长|主任|科长|书记|局长|处长|所长|院长|校长|站长|队长|组长|部长|镇长|乡长|"
    "村长|区长|县长|市长|厂长|馆长|社长|主管|总监|会计|护士|大夫|教授"
)
#: A child named by a parent who calls (孟子涵妈妈来电): the kinship word stays in the text.
KIN_AFTER = "的妈妈|的爸爸|的家长|妈妈|爸爸|家长"
#: What may follow a surname-only form such as 老张 / 小李 for it to be a person.
FAMILIAR_FOLLOW = set(
    "和跟与说的也都在是家让给把被又就还来去打讲问叫找同及他她你我们，。、！？：；,.!?:; "
)
#: Surnames used in 老X / 小X forms; ambiguous ones (小时, 小区, 老师, 小于, 小孔, 小钱,
#: 小康, 小段 …) are left out on purpose.
FAMILIAR_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范廖贾夏韦付傅方邹孟秦邱江尹薛闫雷侯史陶黎贺顾毛郝龚"
    "邵万严覃武戴向汤常温牛葛邢齐乔伍庞颜倪庄聂章鲁岳翟殷"
)
SURNAME_CUE = r"(?:我|本人|免贵|他|她|对方|那人|联系人|老人|患者|户主)?姓"

# Characters that end a given name: function words and the first characters of the words
# that usually follow a name in a hotline record (住, 电话, 反映, 来电, 先生 …).
STOP_FIRST = set(
    "的了在是我你您他她们说和与及或也就都还从到对向把被让请问给跟称讲想要能会已因为于所等这那哪啥么呢吗啊吧呀哦嗯某"
)
STOP_NEXT = STOP_FIRST | set(
    "住家电手联身反来今昨打投举咨表现目本之希办名户居拨先女小老阿师去同一二三四五六七八九十"
    "号楼路区县镇乡村市省街的称讲问说"
)
#: A candidate followed by one of these is a place (石桥镇, 白沙村, 高新区, 张家湾).
PLACE_SUFFIXES = set("区县镇乡村市省路街巷湾庄屯寨坪沟桥港湖山河园苑城州府局院所站厂店馆")
#: Administrative levels: inside a candidate they make it a place (康县人, 文县碧口镇).
ADMIN_CHARS = set("区县镇乡省")
#: Modifiers that look like a surname before a title (原局长 = the former director).
TITLE_MODIFIERS = set("原")

# Compound surnames that are no ordinary word (unlike 东方, 西门, 第五, 长孙): a name that
# starts with one of them is a name even without a cue.
DISTINCT_COMPOUNDS = (
    "欧阳", "诸葛", "司马", "上官", "皇甫", "尉迟", "公孙", "慕容", "宇文",
    "司徒", "夏侯", "令狐", "钟离", "端木", "呼延", "独孤", "澹台", "轩辕",
)  # fmt: skip

#: After a name written without a cue: saying, calling, time words, "and me" (王建军昨天…,
#: 岳海涛说…, 李秀兰跟我说…). A jieba name tag plus one of these is a name.
ACTS_AFTER = (
    r"(?:说|称|讲|表示|反映|来电|打电话|打来|是我|是他|是她|的电话|的手机|的身份证|家住|住在|"
    r"刚才|刚刚|昨天|今天|前天|上午|下午|晚上|又|也|还|已经|一直|多次|跟我|跟他|跟她|和我|给我|"
    r"对我|找我|来了|来过|去了|告诉|让我|叫我|在家|不在|打了|骂|打人|欠)"
)
#: Weaker acts that lift only a full name (surname + two characters: 聂小雨在学校, 范志强两口子):
#: after a surname + one character they are too often a word (车横在匝道上).
ACTS_AFTER_FULL = (
    r"(?:在|两口子|夫妻|一家|他们|她们|不管|不给|不让|吵|闹|欺负|带着|把我|答应|借了|拿了|偷了)"
)
#: Before a name written without a cue: someone is asked for, told, looked for (找何伟).
ACTS_BEFORE = r"(?:找|联系|通知|转告|告诉|问问|询问|转给|交给|打给|叫上|喊|和|跟|与|同)$"
