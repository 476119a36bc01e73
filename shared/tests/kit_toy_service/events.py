from marshmallow import fields, validate

from carebridge.events import registry
from carebridge.events.catalogue.common import DataSchema


@registry.register("toys.toy-created", 1)
class ToyCreatedV1(DataSchema):
    toy_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)


@registry.register("toys.toy-counted", 1)
class ToyCountedV1(DataSchema):
    counter = fields.String(required=True, validate=validate.Length(max=40))
    fail = fields.Boolean(load_default=False)
