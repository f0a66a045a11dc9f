"""The partners app holds no record types: its models are accounts and the delivery outbox,
managed by editors in the workspace (core/registry.py)."""

from core.registry import internal

internal("partners.Partner", "a partner organisation: an account, not data about cases")
internal("partners.ApiToken", "a partner's or user's API credential")
internal("partners.Webhook", "where a partner wants changes sent")
internal("partners.WebhookDelivery", "the webhook outbox: copies of records already registered")
