"""Finding a patient (any part of a name, accents ignored; birth date; MRN),
registering one, and the patient page with every section."""
from support import screenshot
from test_my_day import cast


def test_find_by_part_of_a_name_without_accents_by_birth_date_and_by_mrn(page, world, signed_in):
    coordinator = world.practitioner("coordinator", "Ana")
    patient = world.patient(coordinator, given_name="José", family_name=f"Núñez{world.tag}")
    signed_in(page, coordinator)
    page.get_by_role("link", name="Patients").click()
    for query in (f"nunez{world.tag}"[:-2], patient.mrn):
        page.get_by_label("Name, birth date or MRN").fill(query)
        page.get_by_role("button", name="Search").click()
        page.get_by_role("link", name=f"Núñez{world.tag}, José").wait_for()
    page.get_by_label("Name, birth date or MRN").fill("1948-03-02")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=f"Núñez{world.tag}, José").wait_for()
    screenshot(page, "find-patient")
    page.get_by_role("link", name=f"Núñez{world.tag}, José").click()
    page.get_by_role("heading", name=f"José Núñez{world.tag}").wait_for()
    assert not page.problems, page.problems


def test_registering_a_patient_and_a_refusal_shown_next_to_the_field(page, world, signed_in):
    coordinator = world.practitioner("coordinator", "Ana")
    signed_in(page, coordinator)
    page.goto("/patients/new")
    page.get_by_label("Medical record number (MRN)").fill(f"MRN-N{world.tag}")
    page.get_by_label("Given name").fill("Lucía")
    page.get_by_label("Family name").fill(f"Ortega{world.tag}")
    page.get_by_label("Birth date").fill("1951-07-09")
    page.get_by_label("Sex *").select_option("female")
    page.get_by_label("Time zone").fill("Mars/Olympus")               # not a time zone: refused
    page.get_by_role("button", name="Register").click()
    page.locator("#time_zone-error").wait_for()
    assert page.get_by_label("Given name").input_value() == "Lucía"   # nothing typed is lost
    page.get_by_label("Time zone").fill("America/Chicago")
    page.get_by_label("How the patient wants to hear from us").select_option("sms")   # texts need consent:
    page.get_by_role("button", name="Register").click()
    page.get_by_text("Text messages need the person's consent").wait_for()         # said plainly
    page.get_by_label("The patient agrees to text messages").check()
    page.get_by_label("Mobile phone").fill("+15555550199")
    page.get_by_role("button", name="Register").click()
    page.get_by_text(f"Lucía Ortega{world.tag} is registered.").wait_for()
    found = list(coordinator.cb.patients.search(mrn=f"MRN-N{world.tag}"))
    assert len(found) == 1 and found[0].given_name == "Lucía"
    assert not [p for p in page.problems if "422" not in p], page.problems


def test_the_patient_page_shows_every_section(page, world, signed_in):
    coordinator, nurse, physician, patient, team = cast(world)
    coordinator.cb.patients.add_related_person(
        str(patient.id), given_name="Marta", family_name="Delgado", relationship="daughter",
        consent={"appointments": True, "care_plan": True, "billing": False})
    coordinator.cb.patients.record_allergy(str(patient.id), substance_system="drug-class",
                                           substance_code="class:penicillins", substance_name="Penicillins",
                                           category="medication", criticality="high", reaction="Hives")
    world.active_plan(physician, patient, team)
    signed_in(page, coordinator)
    page.goto(f"/patients/{patient.id}")
    page.get_by_role("heading", name=f"Rosa {patient.family_name}").wait_for()
    text = page.locator("main").inner_text()
    for expected in ("Demographics and contacts", "+15555550101", "es", "Care team", "(leads)",
                     "Marta Delgado (daughter)", "the care plan, appointments", "Penicillins",
                     "Care plan: ", "sacubitril/valsartan", "Appointments", "To book", "Coverage and costs",
                     "Notifications about this patient"):
        assert expected in text, expected
    screenshot(page, "patient-page")
    assert not page.problems, page.problems
