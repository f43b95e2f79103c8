"""PII masking and the gateway every outbound model call must pass.

Public surface (presidio and spaCy load lazily on first use, once per process):

- :func:`mask` / :func:`unmask` with a :class:`Vault` per call or conversation;
- :func:`mask_for_storage` for text that is stored (query logs, KB gaps, exports);
- :func:`scan` / :func:`contains_pii` to re-check anything about to leave the process;
- :func:`assistant.privacy.gateway.chat`, the only way to call a language model.
"""

from __future__ import annotations

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
