"""Reference data the service ships with: the shared appointment type codes,
the drug catalogue and interaction table used by the medication safety
check, and the care plan templates.

It is data, not configuration: clinically reviewed content that changes
through review and release together with the code that reads it, so that
every running copy of the service applies the same rules. Each file is
loaded once, validated on load (a broken file stops the service at start-up
and fails the test suite, never a request), and then only read.
"""
