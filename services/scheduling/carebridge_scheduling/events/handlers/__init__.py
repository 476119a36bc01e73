"""One module per event the scheduling service reacts to."""
