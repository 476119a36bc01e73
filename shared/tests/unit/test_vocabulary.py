"""The shared vocabularies are well-formed: every service reads them as a
contract, so a malformed entry would be read wrongly everywhere at once."""
import ast
import inspect
import re

import pytest

from carebridge.events.catalogue.common import CLINICAL_SETTINGS
from carebridge.vocabulary import appointment_types, drug_classes
from carebridge.vocabulary.appointment_types import APPOINTMENT_TYPES, BILLING_CATEGORIES, AppointmentType
from carebridge.vocabulary.drug_classes import DRUG_CLASSES

CODE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
SERVICE_CODE = re.compile(r"^([0-9]{5}|[A-Z][0-9]{4})$")  # CPT or HCPCS level II


def test_billing_categories_are_unique_codes():
    assert len(set(BILLING_CATEGORIES)) == len(BILLING_CATEGORIES)
    assert all(CODE.match(category) for category in BILLING_CATEGORIES)


def test_every_billing_category_is_used_by_an_appointment_type():
    assert {t.billing_category for t in APPOINTMENT_TYPES.values()} == set(BILLING_CATEGORIES)


def _source(module) -> ast.Module:
    return ast.parse(inspect.getsource(module))


def test_appointment_types_are_keyed_by_their_own_unique_code():
    assert all(isinstance(t, AppointmentType) and key == t.code for key, t in APPOINTMENT_TYPES.items())
    # the table is built into a dict, which would silently keep only the last of two entries with one code
    written = [node for node in ast.walk(_source(appointment_types))
               if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "AppointmentType"]
    assert len(written) == len(APPOINTMENT_TYPES)


@pytest.mark.parametrize("code", sorted(APPOINTMENT_TYPES))
def test_each_appointment_type_is_well_formed(code):
    kind = APPOINTMENT_TYPES[code]
    assert CODE.match(kind.code)
    assert kind.name and kind.name == kind.name.strip()
    assert SERVICE_CODE.match(kind.service_code)
    assert isinstance(kind.minutes, int) and 0 < kind.minutes <= 480 and kind.minutes % 5 == 0
    assert kind.setting in CLINICAL_SETTINGS
    assert kind.billing_category in BILLING_CATEGORIES


def test_appointment_type_names_are_unique():
    names = [t.name.lower() for t in APPOINTMENT_TYPES.values()]
    assert len(set(names)) == len(names)


def test_drug_class_codes_are_unique_class_codes():
    # a dict literal silently keeps only the last of two equal keys, so count them as written
    [literal] = [node.value for node in ast.walk(_source(drug_classes))
                 if isinstance(node, ast.AnnAssign | ast.Assign) and isinstance(node.value, ast.Dict)]
    written = [key.value for key in literal.keys]
    assert len(written) == len(set(written)) == len(DRUG_CLASSES)
    for code, name in DRUG_CLASSES.items():
        assert code.startswith("class:") and CODE.match(code.removeprefix("class:")), code
        assert name and name == name.strip(), code
    names = [name.lower() for name in DRUG_CLASSES.values()]
    assert len(set(names)) == len(names)


def test_the_vocabularies_are_read_only_contracts():
    kind = next(iter(APPOINTMENT_TYPES.values()))
    with pytest.raises(AttributeError):
        kind.billing_category = "dental"  # frozen: a service cannot change the shared entry for everyone
    assert isinstance(BILLING_CATEGORIES, tuple)
