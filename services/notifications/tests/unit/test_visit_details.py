"""The names of a visit's place and practitioner, asked of scheduling and
patients at sending time: used when they answer, left out when they do not
(the letter still goes)."""
import uuid

from carebridge.errors import DependencyUnavailable
from carebridge_notifications.service_layer.letters_to_people import visit_details

LOCATION, PRACTITIONER = uuid.uuid4(), uuid.uuid4()
FACTS = {"location_id": str(LOCATION), "practitioner_id": str(PRACTITIONER)}


class Answer:
    def __init__(self, status, body=None):
        self.status_code, self.body = status, body

    def json(self):
        return self.body


class Services:
    """A runtime whose clients answer from `answers[(service, path)]`."""

    def __init__(self, answers):
        self.answers, self.asked = answers, []

    def client(self, service):
        outer = self

        class Client:
            def get(self, path):
                outer.asked.append((service, path))
                answer = outer.answers.get((service, path))
                if isinstance(answer, Exception):
                    raise answer
                return answer or Answer(404)
        return Client()


def test_names_from_both_services():
    runtime = Services({
        ("scheduling", f"/locations/{LOCATION}"): Answer(200, {"name": "Main Street Clinic"}),
        ("patients", f"/practitioners/{PRACTITIONER}"): Answer(200, {"given_name": "Maya", "family_name": "Chen"})})
    assert visit_details(runtime, FACTS) == {"place_name": "Main Street Clinic", "practitioner_name": "Maya Chen"}


def test_a_service_that_does_not_answer_only_leaves_its_name_out():
    runtime = Services({
        ("scheduling", f"/locations/{LOCATION}"): DependencyUnavailable("down"),
        ("patients", f"/practitioners/{PRACTITIONER}"): Answer(200, {"given_name": "Maya", "family_name": "Chen"})})
    assert visit_details(runtime, FACTS) == {"practitioner_name": "Maya Chen"}
    assert visit_details(Services({}), FACTS) == {}


def test_nothing_is_asked_without_identifiers():
    runtime = Services({})
    assert visit_details(runtime, {"location_id": None}) == {} and runtime.asked == []
