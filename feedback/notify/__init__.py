"""Sending email and text messages to families: one small interface, two backends.

    from feedback.notify import send
    send("email", "name@example.com", "invitation", subject="...", body="...")

The backend is chosen by the NOTIFY_BACKEND setting:

- ``notify``: GOV.UK Notify through its official client (``notifications-python-client``),
  with NOTIFY_API_KEY and one template per channel: an email template whose subject is
  ``((subject))`` and body ``((body))``, a text message template whose body is ``((body))``
  (their ids in NOTIFY_EMAIL_TEMPLATE_ID and NOTIFY_SMS_TEMPLATE_ID). Our wording stays in
  this code, where it can be translated.
- ``outbox`` (development and tests): the message is stored in the ``outbox_message`` table,
  in the caller's transaction. Production refuses it, so contact details do not pile up there.

Callers own the transaction; a refusal or a failure raises NotifyError, whose message is safe
to show to staff.
"""

from __future__ import annotations

from flask import current_app

from ..extensions import db
from ..models import OutboxMessage

CHANNELS = ("email", "sms")


class NotifyError(Exception):
    """A message could not be sent; the message says why, without the recipient."""


class OutboxBackend:
    def send(self, channel: str, to: str, template: str, personalisation: dict) -> str:
        if current_app.config["FEEDBACK_ENV"] == "production":
            raise NotifyError("Messages cannot be sent: GOV.UK Notify is not set up (NOTIFY_API_KEY)")
        message = OutboxMessage(channel=channel, recipient=to, template=template, personalisation=personalisation)
        db.session.add(message)
        db.session.flush()
        return f"outbox-{message.id}"


class NotifyBackend:
    """GOV.UK Notify. The client is made per app and reused."""

    def __init__(self, api_key: str, email_template_id: str | None, sms_template_id: str | None):
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(api_key)
        self.template_ids = {"email": email_template_id, "sms": sms_template_id}

    def send(self, channel: str, to: str, template: str, personalisation: dict) -> str:
        from notifications_python_client.errors import APIError

        template_id = self.template_ids[channel]
        if not template_id:
            raise NotifyError(f"Messages cannot be sent: set NOTIFY_{channel.upper()}_TEMPLATE_ID")
        try:
            if channel == "email":
                sent = self.client.send_email_notification(
                    email_address=to, template_id=template_id, personalisation=personalisation, reference=template)
            else:
                sent = self.client.send_sms_notification(
                    phone_number=to, template_id=template_id, personalisation=personalisation, reference=template)
        except APIError as error:
            # Notify's message can repeat the address; log the status only.
            current_app.logger.warning("GOV.UK Notify refused a %s message: status %s", channel, error.status_code)
            raise NotifyError("GOV.UK Notify could not send this message") from None
        except Exception:
            current_app.logger.exception("GOV.UK Notify could not be reached")
            raise NotifyError("GOV.UK Notify could not be reached; try again later") from None
        return sent.get("id", "")


def backend():
    """The backend for this app: a test may put its own in app.extensions["notify"]."""
    extensions = current_app.extensions
    if "notify" not in extensions:
        config = current_app.config
        if config.get("NOTIFY_BACKEND") == "notify":
            if not config.get("NOTIFY_API_KEY"):
                raise NotifyError("Messages cannot be sent: set NOTIFY_API_KEY")
            extensions["notify"] = NotifyBackend(config["NOTIFY_API_KEY"], config.get("NOTIFY_EMAIL_TEMPLATE_ID"),
                                                 config.get("NOTIFY_SMS_TEMPLATE_ID"))
        else:
            extensions["notify"] = OutboxBackend()
    return extensions["notify"]


def send(channel: str, to: str, template: str, *, subject: str = "", body: str) -> str:
    """Send one message; returns the backend's id for it. `template` names what the message
    is (invitation, reminder, contact_confirmation...) for the outbox and Notify's reference."""
    if channel not in CHANNELS:
        raise ValueError(channel)
    personalisation = {"body": body} if channel == "sms" else {"subject": subject, "body": body}
    return backend().send(channel, to, template, personalisation)
