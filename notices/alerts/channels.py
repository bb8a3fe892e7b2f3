"""Where alerts go: one channel class per `AlertChannel`. E-mail goes through the outbox
(django-post-office), queued in the caller's transaction and sent by the worker's
`send_queued_mail` with its retries. SMS is the next channel: a class with the same `send`,
registered in CHANNELS (and a choice in notices.enums.AlertChannel)."""

from portal import mail

from ..enums import AlertChannel


class EmailChannel:
    def send(self, address, message, unsubscribe_url=None, urgent=False):
        """Queue one e-mail (`message`, a portal.mail.Message: plain text and HTML). With
        `unsubscribe_url` it carries List-Unsubscribe and
        List-Unsubscribe-Post (RFC 2369, RFC 8058): mail programs offer a one-click
        unsubscribe that POSTs to the URL."""
        headers = {}
        if unsubscribe_url:
            headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        return mail.queue(
            [address], message, headers=headers, priority="high" if urgent else "medium"
        )


CHANNELS = {AlertChannel.EMAIL: EmailChannel()}


def channel_for(subscriber):
    return CHANNELS[subscriber.channel]
