"""What the counterpart population database keeps in its SQLite file: the people it knows,
every look-up it answered (for the tests to inspect), and the fault it is told to play."""

from django.db import models


class Person(models.Model):
    """A citizen as the population database holds them; addresses are written as the
    database has them (some still on the map before 1/7/2025)."""

    id_number = models.CharField(max_length=12, unique=True)
    old_id_number = models.CharField(max_length=9, blank=True)
    family_name = models.CharField(max_length=100)
    middle_name = models.CharField(max_length=100, blank=True)
    given_name = models.CharField(max_length=100)
    birthdate = models.DateField()
    sex = models.PositiveSmallIntegerField(default=0)  # 0 unknown, 1 male, 2 female
    ethnicity = models.CharField(max_length=40, blank=True)
    permanent_address = models.CharField(max_length=300, blank=True)
    current_address = models.CharField(max_length=300, blank=True)

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return " ".join(p for p in (self.family_name, self.middle_name, self.given_name) if p)


class Lookup(models.Model):
    """One request answered: who asked (MaCanBo, MaDonVi), the request id, the path and query
    string it came on (the tests check no identity number travels there), the answer code."""

    request_id = models.CharField(max_length=40)
    officer = models.CharField(max_length=40, blank=True)
    unit_code = models.CharField(max_length=40, blank=True)
    procedure_code = models.CharField(max_length=40, blank=True)
    path = models.CharField(max_length=300)
    query_string = models.CharField(max_length=300, blank=True)
    id_number = models.CharField(max_length=12, blank=True)
    code = models.IntegerField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return str(self.request_id)


class Fault(models.Model):
    """The fault played on the next ``remaining`` look-ups (all of them when null)."""

    DOWN, SLOW = "down", "slow"
    MODES = ("none", DOWN, SLOW)

    mode = models.CharField(max_length=10, default="none")
    remaining = models.PositiveIntegerField(null=True)
    delay_seconds = models.FloatField(default=0.0)

    def __str__(self):
        return str(self.mode)
