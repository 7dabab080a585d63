"""What the counterpart payment platform keeps: each payment request taken (with the message
as received), its outcome and the portal's answer to the confirmation, and the fault to play."""

from django.db import models


class Transaction(models.Model):
    CREATED, PAID, FAILED = "created", "paid", "failed"

    token = models.CharField(max_length=40, unique=True)  # the payment page's address
    reference = models.CharField(max_length=64, unique=True)
    amount = models.PositiveBigIntegerField()
    message = models.JSONField()
    state = models.CharField(max_length=8, default=CREATED)
    transaction_id = models.CharField(max_length=32, blank=True)
    receipt_number = models.CharField(max_length=32, blank=True)
    return_url = models.CharField(max_length=500, blank=True)
    notify_url = models.CharField(max_length=500, blank=True)
    confirmation = models.JSONField(default=dict)  # the last confirmation sent (signed)
    callback_status = models.IntegerField(null=True)
    callback_answer = models.JSONField(default=dict)
    callbacks_sent = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.reference


class Fault(models.Model):
    """down: the API answers 503; bad_checksum: the next confirmations carry a wrong
    MaXacThuc; drop_callback: the next confirmations are not sent (the redirect still is)."""

    NONE, DOWN, BAD_CHECKSUM, DROP_CALLBACK = "none", "down", "bad_checksum", "drop_callback"
    MODES = (NONE, DOWN, BAD_CHECKSUM, DROP_CALLBACK)

    mode = models.CharField(max_length=16, default=NONE)
    remaining = models.PositiveIntegerField(null=True)

    def __str__(self):
        return self.mode
