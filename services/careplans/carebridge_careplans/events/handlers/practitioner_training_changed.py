"""patients.practitioner-training-changed: who mentors a practitioner in
training (the mentor may read the trainee's tasks)."""
from ...service_layer.projections import apply_training


def keep_mentorship(session, event) -> None:
    apply_training(session, event.data)
