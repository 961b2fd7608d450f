"""Sending account emails behind one small interface.

No mail server is assumed: by default messages are written to the log (and admins copy
invite links from the page). Set MAIL_SERVER to send through SMTP instead.
"""

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str


class LogMailer:
    def send(self, message: Message) -> None:
        current_app.logger.info("Email to %s: %s", message.to, message.subject)


class SMTPMailer:
    def __init__(self, config):
        self.config = config

    def send(self, message: Message) -> None:
        email = EmailMessage()
        email["From"] = self.config["MAIL_SENDER"]
        email["To"] = message.to
        email["Subject"] = message.subject
        email.set_content(message.body)
        with smtplib.SMTP(self.config["MAIL_SERVER"], self.config["MAIL_PORT"], timeout=10) as smtp:
            smtp.starttls()
            if self.config["MAIL_USERNAME"]:
                smtp.login(self.config["MAIL_USERNAME"], self.config["MAIL_PASSWORD"])
            smtp.send_message(email)


def get_mailer():
    if "mailer" in current_app.extensions:
        return current_app.extensions["mailer"]
    if current_app.config["MAIL_SERVER"]:
        return SMTPMailer(current_app.config)
    return LogMailer()
