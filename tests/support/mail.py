"""The SMTP server of the run (the kit's `carebridge.stack.mail`)."""
from carebridge.stack.mail import BOUNCING_DOMAIN, Mailbox, SmtpServer, free_port

__all__ = ["BOUNCING_DOMAIN", "Mailbox", "SmtpServer", "free_port"]
