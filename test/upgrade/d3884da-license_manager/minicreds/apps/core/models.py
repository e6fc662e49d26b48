from django.db import models


class Note(models.Model):
    """A row the round-trip view writes and reads back, so a test can see the database works."""

    text = models.CharField(max_length=255)
    created = models.DateTimeField(auto_now_add=True)
