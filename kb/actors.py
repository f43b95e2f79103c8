"""Who is acting, and what they may do to an entry.

Rules (DESIGN.md, "谁录入、谁负责"):

* maintainers and reviewers act only on their own unit's entries; admins on all;
  a reviewer with no unit is a hotline-centre reviewer and may review every unit;
* drafting, editing, submitting and archiving: maintainer or reviewer of the owner unit,
  or admin;
* approving (and rejecting) and publishing: reviewer of the owner unit, a centre reviewer,
  or admin — and never the author of the version under review;
* operators and QA read only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from kb.errors import PermissionDenied
from kb.models import Entry, EntryVersion, Role
from kb.units import get_user


@dataclass(frozen=True)
class Actor:
    """The user an operation is done as."""

    name: str
    role: Role
    unit_id: int | None = None
    unit_name: str | None = None

    @classmethod
    def load(cls, session: Session, name: str) -> Actor:
        """Look the user up; unknown users are refused."""
        user = get_user(session, name)
        return cls(user.name, user.role, user.unit_id, user.unit.name if user.unit else None)

    @property
    def is_admin(self) -> bool:
        """True for administrators."""
        return self.role is Role.ADMIN


ROLE_ZH = {
    Role.ADMIN: "管理员",
    Role.MAINTAINER: "维护员",
    Role.REVIEWER: "审核员",
    Role.OPERATOR: "话务员",
    Role.QA: "质检员",
}


def _same_unit(actor: Actor, unit_id: int) -> bool:
    return actor.unit_id == unit_id


def check_can_edit_unit(actor: Actor, unit_id: int, unit_name: str) -> None:
    """Refuse unless the actor may write entries owned by this unit."""
    if actor.is_admin:
        return
    if actor.role in (Role.MAINTAINER, Role.REVIEWER) and _same_unit(actor, unit_id):
        return
    if actor.role in (Role.MAINTAINER, Role.REVIEWER):
        raise PermissionDenied(
            f"{actor.name}属于“{actor.unit_name or '无单位'}”，不能维护“{unit_name}”的条目"
            "（谁录入、谁负责：只能维护本单位条目）。"
        )
    raise PermissionDenied(f"{ROLE_ZH[actor.role]}{actor.name}没有维护知识库条目的权限。")


def check_can_edit(actor: Actor, entry: Entry) -> None:
    """Refuse unless the actor may draft, edit, submit or archive this entry."""
    check_can_edit_unit(actor, entry.owner_unit_id, entry.owner_unit.name)


def check_can_review(actor: Actor, entry: Entry, version: EntryVersion) -> None:
    """Refuse unless the actor may approve, reject or publish this version."""
    if actor.role not in (Role.REVIEWER, Role.ADMIN):
        raise PermissionDenied(f"{ROLE_ZH[actor.role]}{actor.name}没有审核权限，需由审核员审核。")
    if (
        actor.role is Role.REVIEWER
        and actor.unit_id is not None
        and not _same_unit(actor, entry.owner_unit_id)
    ):
        raise PermissionDenied(
            f"审核员{actor.name}属于“{actor.unit_name}”，不能审核“{entry.owner_unit.name}”的条目。"
        )
    if version.author == actor.name:
        raise PermissionDenied(
            f"第 {version.version_no} 版由{actor.name}本人编写，不能自己审核，请交由其他审核员。"
        )
