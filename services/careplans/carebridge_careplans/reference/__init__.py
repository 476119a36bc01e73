"""Reference data the service ships with: the drug catalogue and interaction
table used by the medication safety check, and the care plan templates. The
appointment types and the drug classes an allergy may name are not ours: they
are the kit's shared vocabulary (`carebridge.vocabulary`), and the catalogue
is checked against the drug classes on load.

It is data, not configuration: clinically reviewed content that changes
through review and release together with the code that reads it, so that
every running copy of the service applies the same rules. Each file is
loaded once, validated on load (a broken file stops the service at start-up
and fails the test suite, never a request), and then only read.
"""
