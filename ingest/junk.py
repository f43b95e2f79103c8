"""Rules that recognise page furniture line by line: what a web page or PDF adds around a
document that is not the document.

Each rule has a Chinese reason, shown in the ingest report and kept in the version's meta,
so a person can see why a line was dropped. The rules look at the *shape* of a line
(template syntax, JSON, a list of menu items, a short line made of widget words), never at
one site's exact text, so they keep working on the next scraped page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from ingest.markers import clause_marker
from ingest.regions import region_of

SHORT = 30  # widget and label lines are short; body sentences are not

# words that only ever appear in share / comment / login / font-size widgets
_WIDGET_WORDS = (
    "扫一扫",
    "二维码",
    "分享",
    "公众号",
    "微博",
    "头条号",
    "手机版",
    "电脑版",
    "移动版",
    "打印本页",
    "关闭窗口",
    "字体",
    "字号",
    "设为首页",
    "加入收藏",
    "返回顶部",
    "返回首页",
    "小贴士",
    "评论",
    "抢沙发",
    "加载更多",
    "验证码",
    "阅读更多",
    "看更多",
    "点击右上角",
    "朋友圈",
    "上一篇",
    "下一篇",
)
# words that are widget buttons only on a very short line with no sentence in it
_BUTTON_WORDS = (
    "登录",
    "注册",
    "密码",
    "账号",
    "回复",
    "点赞",
    "发送",
    "确定",
    "取消",
    "收藏",
    "打印",
    "关闭",
    "投票",
    "网友",
)
BUTTON = 10

# a short line that introduces a block of unrelated links: everything after it goes
TAIL_MARKERS = re.compile(
    r"^(?:热门|热点|相关|推荐|点击|精彩|猜你|延伸|更多|最新|网友)[·•\s]*"
    r"(?:推荐|排行|阅读|新闻|文章|链接|图文|喜欢|专题|评论|资讯|内容)"
    r"|^(?:评论|网友评论|发表评论|推荐阅读|相关阅读|相关链接|相关新闻|延伸阅读)"
)

_TEMPLATE = re.compile(r"\{\{|\}\}|\{%|%\}|\$\{[^}]*\}")
_JSON_KEY = re.compile(r'"[A-Za-z_][\w]*"\s*:')
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_BREADCRUMB = re.compile(r"^(?:您现在的位置|您的位置|当前位置|所在位置|当前页面)")
_CREDIT = re.compile(
    r"^[（(\[【]?(?:责任编辑|责编|编辑|校对|审核|审校|终审|初审|复审|记者|通讯员|摄影|作者)"
    r"[\s：:]*[\u4e00-\u9fff]{0,8}[）)\]】]?$"
)
_FOOTER = re.compile(
    r"copyright|©|版权所有|版權所有|all rights reserved|icp备|icp证|公网安备|网站标识码"
    r"|^(?:主办单位|承办单位|协办单位|运行维护单位|技术支持|网站地图|联系我们|关于我们)[：:]?",
    re.I,
)
_PAGE_NO = re.compile(
    r"^(?:[-—–－_\s]*\d{1,4}[-—–－_\s]*|第\s*\d+\s*页(?:[，,/\s]*共\s*\d+\s*页)?)$"
)
_TEASER = re.compile(r"^(?:核心提示|内容提要|导读|摘要)[：:]")
_PAGE_INFO = re.compile(
    r"(?:查看次数|浏览次数|阅读次数|点击数|访问量|阅读[：:]\s*\d|浏览[：:]\s*\d)"
)
_SOURCE = re.compile(r"^(?:来源|稿源|出处|信息来源|文章来源)[：:]")
_SITE_NOTICE = re.compile(r"^(?:此为临时链接|网站公告|今日天气|今天是|欢迎访问|欢迎光临)")
_SYMBOLS_ONLY = re.compile(r"^[\W_a-zA-Z]{0,2}$")
# the issuing banner "甘肃省人民政府办公厅文件": at the top it is the page head (metadata reads
# it there); a PDF repeats it at the top of every page, in the middle of the body
_BANNER = re.compile(
    r"^(?:中共)?[\u4e00-\u9fff（）]{2,40}?(?:办公厅|办公室|人民政府|政府|委员会|局|厅|部|委|办|中心)文件$"
)


def _is_banner(line: str) -> bool:
    return _BANNER.match(line) is not None and (
        region_of(line) is not None or line.startswith("国务院")
    )


def _is_json(line: str) -> bool:
    if line[:1] in "{[" and line[-1:] in "}]":
        try:
            json.loads(line)
            return True
        except ValueError:
            pass
    return len(_JSON_KEY.findall(line)) >= 2


def _is_menu(line: str) -> bool:
    # "首页 | 综合 | 时政 | …": many short items between separators
    items = [item.strip() for item in re.split(r"[|｜/]", line)]
    items = [item for item in items if item]
    if len(items) < 4:
        return False
    short = sum(1 for item in items if len(item) <= 8)
    return short / len(items) >= 0.75


def _is_widget(line: str) -> bool:
    if len(line) > SHORT or clause_marker(line) is not None:
        return False
    if any(word in line for word in _WIDGET_WORDS):
        return True
    if len(line) > BUTTON or re.search(r"[。，；]", line):
        return False
    return any(word in line for word in _BUTTON_WORDS)


@dataclass(frozen=True)
class JunkRule:
    """A named test for one kind of page furniture."""

    reason: str
    test: Callable[[str], bool]


RULES: tuple[JunkRule, ...] = (
    JunkRule("模板占位符", lambda s: _TEMPLATE.search(s) is not None),
    JunkRule("嵌入的数据（JSON）", _is_json),
    JunkRule("网址", lambda s: _URL.match(s) is not None),
    JunkRule("导航菜单", _is_menu),
    JunkRule("面包屑导航", lambda s: _BREADCRUMB.match(s) is not None),
    JunkRule("编辑署名", lambda s: _CREDIT.match(s) is not None),
    JunkRule("网站页脚", lambda s: len(s) <= 200 and _FOOTER.search(s) is not None),
    JunkRule("页码", lambda s: _PAGE_NO.match(s) is not None),
    JunkRule("内容提要（与正文重复）", lambda s: _TEASER.match(s) is not None),
    JunkRule("页面信息（日期/浏览量）", lambda s: _PAGE_INFO.search(s) is not None),
    JunkRule("来源署名", lambda s: len(s) <= 60 and _SOURCE.match(s) is not None),
    JunkRule("网站通知", lambda s: _SITE_NOTICE.match(s) is not None),
    JunkRule("分享/评论/登录组件", _is_widget),
    JunkRule("页眉（发文机关标志）", _is_banner),
    JunkRule("无文字内容", lambda s: _SYMBOLS_ONLY.match(s) is not None),
)


def junk_reason(line: str) -> str | None:
    """Why ``line`` is page furniture, or None when it may be document text."""
    for rule in RULES:
        if rule.test(line):
            return rule.reason
    return None


def is_tail_marker(line: str) -> bool:
    """A short heading of a related-links / ranking / comments block."""
    return len(line) <= 14 and TAIL_MARKERS.match(line) is not None
