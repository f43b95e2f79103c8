"""Refusing query parameters a route does not declare.

FastAPI ignores unknown query parameters; for a filter that is a trap — ``?stauts=draft``
would quietly list every entry. Every /api route refuses them with 422, naming them.
"""

from __future__ import annotations

from fastapi import Request

from kb.errors import InvalidInput


def _query_names(dependant: object) -> set[str]:
    names = {p.alias for p in getattr(dependant, "query_params", [])}
    for sub in getattr(dependant, "dependencies", []):
        names |= _query_names(sub)
    return names


def _declared(route: object) -> frozenset[str]:
    cached = getattr(route, "_hotline_query_names", None)
    if cached is None:
        cached = frozenset(_query_names(route.dependant))  # type: ignore[attr-defined]
        route._hotline_query_names = cached  # type: ignore[attr-defined]
    return cached


def reject_unknown_query(request: Request) -> None:
    """Router dependency: 422 when the query string has a name the route does not know."""
    route = request.scope.get("route")
    if route is None or not request.query_params:
        return
    known = _declared(route)
    unknown = sorted({name for name in request.query_params if name not in known})
    if unknown:
        allowed = "、".join(sorted(known)) or "（无）"
        raise InvalidInput(
            f"不认识的查询参数：{'、'.join(unknown)}；此接口支持：{allowed}。",
            details=[f"查询参数 {name}：不认识的参数（请检查拼写）" for name in unknown],
        )
