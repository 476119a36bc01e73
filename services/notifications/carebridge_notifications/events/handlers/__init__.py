"""One module per event the notifications service reacts to, each with one handler."""
