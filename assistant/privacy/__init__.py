"""PII masking and the gateway every outbound model call must pass.

Public surface (presidio and spaCy load lazily on first use, once per process):

- :func:`mask` / :func:`unmask` with a :class:`Vault` per call or conversation;
- :func:`mask_for_storage` for text that is stored (query logs, KB gaps, exports);
- :func:`scan` / :func:`contains_pii` to re-check anything about to leave the process;
- :func:`assistant.privacy.gateway.chat`, the only way to call a language model.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.privacy.analyzer import Detection
    from assistant.privacy.masking import (
        MaskedEntity,
        MaskResult,
        contains_pii,
        mask,
        mask_for_storage,
        scan,
        unmask,
    )
    from assistant.privacy.vault import Vault

# Imported on first use (PEP 562): ``import assistant.privacy.digits`` must not pay for
# presidio and spaCy, and even ``mask`` only loads them when it first analyses a text.
_EXPORTS = {
    "Detection": "assistant.privacy.analyzer",
    "MaskResult": "assistant.privacy.masking",
    "MaskedEntity": "assistant.privacy.masking",
    "Vault": "assistant.privacy.vault",
    "contains_pii": "assistant.privacy.masking",
    "mask": "assistant.privacy.masking",
    "mask_for_storage": "assistant.privacy.masking",
    "scan": "assistant.privacy.masking",
    "unmask": "assistant.privacy.masking",
}

__all__ = [
    "Detection",
    "MaskResult",
    "MaskedEntity",
    "Vault",
    "contains_pii",
    "mask",
    "mask_for_storage",
    "scan",
    "unmask",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'assistant.privacy' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
