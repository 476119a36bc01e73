"""The headings of the printable plain-language summary, in each language
the careplans service writes the summary in (its `PAGE` words: the
summary's own sentences come from the service, already in the patient's
language; these are only the page's headings and labels)."""
from __future__ import annotations

EN = {
    "lang": "en", "title": "Your care plan", "from": "From", "to": "to",
    "draft": "This plan is still being prepared by your care team.",
    "medicines": "Your medicines", "medicine": "Medicine", "how_much": "How much", "how_and_when": "How and when",
    "notes": "Notes", "take_it": "Take it", "stop_taking": "Medicines to stop taking",
    "visits": "Your upcoming visits", "diet": "Food and drink", "therapy": "Exercise and therapy",
    "starting": "starting", "goals": "What we are working towards", "by": "by",
    "learning": "Things to learn about", "watch_for": "What to watch for", "if_this_happens": "If this happens",
    "do_this": "Do this", "whom_to_call": "Whom to call",
    "call_clinic": "Call your care team at the number your clinic gave you.",
}
ES = {
    "lang": "es", "title": "Su plan de cuidado", "from": "Desde el", "to": "hasta el",
    "draft": "Su equipo de cuidado todavía está preparando este plan.",
    "medicines": "Sus medicamentos", "medicine": "Medicamento", "how_much": "Cuánto",
    "how_and_when": "Cómo y cuándo", "notes": "Notas", "take_it": "Tómelo",
    "stop_taking": "Medicamentos que debe dejar de tomar", "visits": "Sus próximas visitas",
    "diet": "Comida y bebida", "therapy": "Ejercicio y terapia", "starting": "a partir del",
    "goals": "Lo que queremos lograr", "by": "antes del", "learning": "Cosas que aprender",
    "watch_for": "Qué vigilar", "if_this_happens": "Si pasa esto", "do_this": "Haga esto",
    "whom_to_call": "A quién llamar",
    "call_clinic": "Llame a su equipo de cuidado al número que le dio su clínica.",
}
LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}


def words_for(language: str | None) -> dict:
    """The page's words in the summary's language (English for any other)."""
    return ES if (language or "").lower().split("-")[0] == "es" else EN
