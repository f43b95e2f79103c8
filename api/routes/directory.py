"""Who am I (for the web pages) and the units (for forms)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from api.auth import Caller, any_user
from api.schemas.common import AUTH_ERRORS
from api.state import unit_of_work
from kb.actors import ROLE_ZH
from kb.units import list_units

router = APIRouter(prefix="/api", tags=["用户与单位"], responses=AUTH_ERRORS)


class MeOut(BaseModel):
    """The user a token acts as."""

    name: str
    display_name: str
    role: str
    role_zh: str
    unit: str | None
    unit_id: int | None
    token_id: int


class UnitOut(BaseModel):
    """A handling unit."""

    id: int
    code: str
    name: str
    region: str
    level: str
    kind: str


@router.get("/me", response_model=MeOut, summary="当前令牌对应的用户")
def me(caller: Caller = Depends(any_user)) -> dict:
    """令牌对应的用户、角色与所属单位（网页登录时用来核对令牌）。"""
    actor = caller.actor
    return {
        "name": actor.name,
        "display_name": caller.display_name,
        "role": actor.role.value,
        "role_zh": ROLE_ZH[actor.role],
        "unit": actor.unit_name,
        "unit_id": actor.unit_id,
        "token_id": caller.token_id,
    }


@router.get("/units", response_model=list[UnitOut], summary="承办单位")
def units(request: Request, _caller: Caller = Depends(any_user)) -> list[dict]:
    """全部承办单位。"""
    with unit_of_work(request) as session:
        return [
            {
                "id": u.id,
                "code": u.code,
                "name": u.name,
                "region": u.region,
                "level": u.level.value,
                "kind": u.kind.value,
            }
            for u in list_units(session)
        ]
