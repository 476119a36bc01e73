"""Events the kit defines and every service publishes as its own type."""
from marshmallow import fields, validate

from ..registry import registry
from .common import DataSchema

HEX_DIGEST = r"^[0-9a-f]{64}$"


class ChainHead(DataSchema):
    chain = fields.Integer(required=True, validate=validate.Range(min=0, max=32767))
    seq = fields.Integer(required=True, validate=validate.Range(min=1))
    hash = fields.String(required=True, validate=validate.Regexp(HEX_DIGEST))


@registry.register("*.audit-checkpointed", 1)
class AuditCheckpointedV1(DataSchema):
    """The signed head of each of the producer's audit chains (sequence
    numbers and hashes only), for another service to keep where the
    producer's database role cannot reach (carebridge.audit.checkpoints)."""
    checkpointed_at = fields.AwareDateTime(required=True)
    chains = fields.List(fields.Nested(ChainHead), required=True, validate=validate.Length(min=1, max=1024))
    key_id = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{16}$"))
    public_key = fields.String(required=True, validate=validate.Length(max=100))
    signature = fields.String(required=True, validate=validate.Length(max=200))
