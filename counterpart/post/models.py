"""What the counterpart postal service keeps in the counterpart's SQLite file: the orders it
took, their journeys, the fault it is told to play, the last push (for a replay)."""

from django.db import models


class Order(models.Model):
    """A shipment order, once per saleOrderCode; item_code is its tracking code."""

    sale_order_code = models.CharField(max_length=64, unique=True)
    item_code = models.CharField(max_length=13, blank=True, db_index=True)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    duplicates = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return str(self.item_code)


class Update(models.Model):
    order = models.ForeignKey(Order, models.CASCADE, related_name="updates")
    status = models.CharField(max_length=8)
    status_name = models.CharField(max_length=120)
    at = models.DateTimeField()
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.order_id} {self.status}"


class Fault(models.Model):
    """The fault played on the next ``remaining`` CreateOrder calls (all while null)."""

    NONE, DOWN, REFUSE, TIMEOUT = "none", "down", "refuse", "timeout"
    MODES = (NONE, DOWN, REFUSE, TIMEOUT)

    mode = models.CharField(max_length=12, default=NONE)
    remaining = models.PositiveIntegerField(null=True)
    delay_seconds = models.FloatField(default=0)
    message = models.CharField(max_length=255, blank=True)

    def __str__(self):
        return str(self.mode)


class Push(models.Model):
    """A push sent to the portal: its body and signature headers, so a replay can repeat it."""

    body = models.BinaryField()
    headers = models.JSONField()
    status = models.PositiveSmallIntegerField(null=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"push {self.pk}"
