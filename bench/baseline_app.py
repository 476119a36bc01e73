"""The lean baseline of the API read benchmark: a plain Flask app that reads
one patient by primary key with SQLAlchemy and answers it with a marshmallow
schema, and nothing else (no authentication, access check, audit, request
ids, metrics or logs). Same table, same database, same gunicorn
configuration as the patients API:

    DATABASE_URL=postgresql+psycopg://.../cbb_..._patients \
      gunicorn -c deploy/gunicorn.conf.py --chdir bench baseline_app:app
"""
from __future__ import annotations

import os
import uuid
from datetime import date, datetime

import marshmallow as ma
from flask import Flask, abort, jsonify
from marshmallow import fields
from sqlalchemy import JSON, Date, DateTime, Integer, String, Uuid, create_engine
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

DATABASE_URL = os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)


class Base(DeclarativeBase):
    pass


class Patient(Base):
    __tablename__ = "patients"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    mrn: Mapped[str] = mapped_column(String(64))
    given_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str | None] = mapped_column(String(100))
    birth_date: Mapped[date] = mapped_column(Date)
    administrative_sex: Mapped[str] = mapped_column(String(10))
    gender_identity: Mapped[str | None] = mapped_column(String(30))
    contact_points: Mapped[list] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))
    address: Mapped[dict | None] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))
    preferred_language: Mapped[str] = mapped_column(String(35))
    time_zone: Mapped[str] = mapped_column(String(64))
    communication: Mapped[dict] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))
    clinical_setting: Mapped[str | None] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(10))
    deceased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer)


class ContactPointSchema(ma.Schema):
    system = fields.String()
    value = fields.String()
    use = fields.String(allow_none=True)


class AddressSchema(ma.Schema):
    use = fields.String(allow_none=True)
    lines = fields.List(fields.String())
    city = fields.String()
    state = fields.String(allow_none=True)
    postal_code = fields.String(allow_none=True)
    country = fields.String()


class CommunicationSchema(ma.Schema):
    preferred_channel = fields.String()
    quiet_hours_start = fields.String(allow_none=True)
    quiet_hours_end = fields.String(allow_none=True)
    sms_consent = fields.Boolean()


class PatientSchema(ma.Schema):
    id = fields.UUID()
    mrn = fields.String()
    given_name = fields.String()
    middle_name = fields.String(allow_none=True)
    family_name = fields.String()
    preferred_name = fields.String(allow_none=True)
    birth_date = fields.Date()
    administrative_sex = fields.String()
    gender_identity = fields.String(allow_none=True)
    contact_points = fields.List(fields.Nested(ContactPointSchema))
    address = fields.Nested(AddressSchema, allow_none=True)
    preferred_language = fields.String()
    time_zone = fields.String()
    communication = fields.Nested(CommunicationSchema)
    clinical_setting = fields.String(allow_none=True)
    status = fields.String()
    deceased_at = fields.AwareDateTime(allow_none=True)
    version = fields.Integer()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


engine = create_engine(DATABASE_URL, pool_size=10, max_overflow=10)
Session = sessionmaker(engine)
schema = PatientSchema()
app = Flask(__name__)


@app.get("/patients/<uuid:patient_id>")
def get_patient(patient_id):
    with Session() as session:
        patient = session.get(Patient, patient_id)
        if patient is None:
            abort(404)
        return jsonify(schema.dump(patient))
