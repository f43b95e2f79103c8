"""PII masking and the gateway every outbound model call must pass."""
