"""The audit trail: who changed which listing field, when, from what to what."""
