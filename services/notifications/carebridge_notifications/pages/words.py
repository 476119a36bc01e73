"""The words of the message page itself, per language (the message is the
letter, `templates/letters`)."""

WORDS = {
    "en": {
        "title": "Your message from your care team",
        "question": "Can you come to this visit?",
        "confirm": "Yes, I will come",
        "cancel": "Cancel the visit",
        "reschedule": "Ask for another time",
        "answered": "Thank you. We have your answer:",
        "answers": {"confirm": "you will come.", "cancel": "please cancel the visit.",
                    "reschedule": "you would like another time. Your care team will call you."},
        "print": "To keep this message, print this page or save it.",
        "call": "To talk to us, call your care team.",
        "trouble": {
            "bad": ("This link does not work",
                    "The link may be incomplete or changed. Open it again from your message, or call your care team."),
            "expired": ("This link has expired",
                        "Links to messages work for a few days only. Call your care team and they will help you."),
            "gone": ("This message is no longer available",
                     "Call your care team if you have questions."),
            "limited": ("Too many tries",
                        "Please wait an hour and try again, or call your care team."),
        },
    },
    "es": {
        "title": "Su mensaje de su equipo de cuidado",
        "question": "¿Puede venir a esta cita?",
        "confirm": "Sí, voy a ir",
        "cancel": "Cancelar la cita",
        "reschedule": "Pedir otra hora",
        "answered": "Gracias. Tenemos su respuesta:",
        "answers": {"confirm": "usted va a venir.", "cancel": "cancelar la cita.",
                    "reschedule": "usted quiere otra hora. Su equipo de cuidado le llamará."},
        "print": "Para guardar este mensaje, imprima esta página o guárdela.",
        "call": "Para hablar con nosotros, llame a su equipo de cuidado.",
        "trouble": {
            "bad": ("Este enlace no funciona",
                    "Puede que el enlace esté incompleto o cambiado. Ábralo otra vez desde su mensaje, "
                    "o llame a su equipo de cuidado."),
            "expired": ("Este enlace ya no es válido",
                        "Los enlaces a mensajes funcionan solo unos días. Llame a su equipo de cuidado y le ayudarán."),
            "gone": ("Este mensaje ya no está disponible",
                     "Llame a su equipo de cuidado si tiene preguntas."),
            "limited": ("Demasiados intentos",
                        "Espere una hora e inténtelo otra vez, o llame a su equipo de cuidado."),
        },
    },
}
