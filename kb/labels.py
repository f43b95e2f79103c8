"""Chinese labels for the codes kb/ stores: entry kinds, statuses and audit actions.

Codes stay English in the database and in ``--json``; people read these labels.
"""

from __future__ import annotations

from kb.models import EntryKind

KIND_ZH = {
    EntryKind.POLICY: "政策文件",
    EntryKind.SCRIPT: "答复口径",
    EntryKind.FAQ: "常见问答",
    EntryKind.NOTICE: "通知公告",
}

STATUS_ZH = {
    "draft": "草稿",
    "in_review": "待审核",
    "approved": "已审核待发布",
    "published": "已发布",
    "superseded": "已被新版本替代",
    "withdrawn": "已撤回",
    "archived": "已归档",
    "expired": "已过期",
    "not_yet_effective": "未生效",
}

# Every action code written to the audit log, by any module.
ACTION_ZH = {
    "create": "新建",
    "edit": "编辑（新版本）",
    "submit": "提交审核",
    "reject": "退回修改",
    "approve": "审核通过",
    "publish": "发布",
    "publish_trusted": "管理员直接发布",
    "retire": "旧版本退出检索",
    "withdraw": "撤回未发布版本",
    "rollback": "回滚",
    "archive": "归档",
    "supersede": "标记被替代",
    "policy.abolishes": "登记废止关系",
    "policy.replaces": "登记替代关系",
    "intake.register": "登记待录入政策",
    "intake.close": "录入关闭",
    "intake.recompute": "重算录入截止日",
    "sweep.confirm": "巡检确认",
    "unit.add": "登记单位",
    "user.add": "登记用户",
    "time_limit.set": "设置办理时限",
    "extension.add": "登记延期",
    "token.create": "创建令牌",
    "token.revoke": "吊销令牌",
    "gap.resolved": "知识缺口已补",
    "gap.dismissed": "知识缺口忽略",
    "index.rebuild": "重建索引",
    "order.add": "受理工单",
    "order.confirm": "工单签收",
    "order.reject": "工单退单",
    "order.reassign": "工单改派",
    "order.merge": "工单并单",
    "order.close": "工单办结",
    "order.recompute_due": "重算工单办理时限",
    "order.callback_viewed": "查看回访信息",
}


def action_zh(action: str) -> str:
    """The Chinese label of an audit action; an unknown code is shown as is."""
    return ACTION_ZH.get(action, action)


def status_zh(status: str | None) -> str:
    """The Chinese label of a status code ('' for none; an unknown code as is)."""
    if not status:
        return ""
    return STATUS_ZH.get(status, status)
