"""The three-level appeal category tree (诉求分类) from ``data/policies/categories.yaml``.

Work orders, answer scripts and the dispatch catalog refer to level-3 codes ("010101");
a code's ancestors are its 2- and 4-digit prefixes. See data/policies/README.md for where
the tree comes from (built for this project, not an official code table).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from kb.errors import InvalidInput


@dataclass(frozen=True)
class Category:
    """One node: code, name, level (1–3) and rule-based keywords (level 3)."""

    code: str
    name: str
    level: int
    keywords: tuple[str, ...] = ()


class CategoryTree:
    """Every node by code, with names along the path."""

    def __init__(self, nodes: list[Category], source: str = "") -> None:
        self.nodes = {n.code: n for n in nodes}
        self.source = source

    @property
    def leaves(self) -> list[Category]:
        """The level-3 nodes (what orders are classified into)."""
        return [n for n in self.nodes.values() if n.level == 3]

    def get(self, code: str | None) -> Category | None:
        """A node by code, or None."""
        return self.nodes.get(code or "")

    def path(self, code: str) -> list[Category]:
        """The node and its ancestors, top first (empty for an unknown code)."""
        return [
            self.nodes[code[:n]] for n in (2, 4, 6) if len(code) >= n and code[:n] in self.nodes
        ]

    def path_names(self, code: str) -> str:
        """``城乡建设 / 物业管理 / 物业服务质量``."""
        return " / ".join(n.name for n in self.path(code))


def parse_tree(raw: dict, source_name: str = "categories.yaml") -> CategoryTree:
    """A validated tree from the parsed YAML (codes nest by prefix, level 3 has 6 digits)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("categories"), list):
        raise InvalidInput(f"分类文件 {source_name} 应包含 categories 列表。")
    nodes: list[Category] = []

    def walk(items: list, level: int, parent: str) -> None:
        for item in items:
            code = str(item.get("code", "")).strip()
            name = str(item.get("name", "")).strip()
            if len(code) != 2 * level or not code.startswith(parent) or not code.isdigit():
                raise InvalidInput(f"分类文件 {source_name} 中编码“{code}”与层级 {level} 不符。")
            if not name:
                raise InvalidInput(f"分类文件 {source_name} 中编码 {code} 缺少名称。")
            keywords = tuple(str(k) for k in item.get("keywords") or ())
            nodes.append(Category(code, name, level, keywords))
            if level < 3:
                walk(item.get("children") or [], level + 1, code)

    walk(raw["categories"], 1, "")
    codes = [n.code for n in nodes]
    if len(codes) != len(set(codes)):
        raise InvalidInput(f"分类文件 {source_name} 中有重复编码。")
    return CategoryTree(nodes, str(raw.get("source") or ""))


def load_tree(path: Path) -> CategoryTree:
    """The tree in ``path``."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"找不到分类文件 {path}。") from None
    except yaml.YAMLError as exc:
        raise InvalidInput(f"分类文件 {path} 不是有效的 YAML：{exc}") from exc
    return parse_tree(raw, path.name)


@lru_cache(maxsize=2)
def _cached(path: str, mtime: float) -> CategoryTree:
    return load_tree(Path(path))


def default_tree() -> CategoryTree:
    """The shipped tree (reloaded when the file changes)."""
    from kb.settings import get_settings

    path = get_settings().data_dir / "policies" / "categories.yaml"
    return _cached(str(path), path.stat().st_mtime if path.exists() else 0.0)
