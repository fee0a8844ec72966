"""A reader's batch search and its lines; each line's results are stored as soon as its chunk
is searched, so a run interrupted by a worker restart resumes at the first line not searched.

A run is claimed chunk by chunk: the task that starts a chunk holds the batch until
`claimed_until`, and only if the batch has searched as many lines as the task expects, so a
message delivered twice, or sent again by the resumer, never searches a chunk twice; the same
task's message given back to the queue by a dying worker takes its claim back at once.
"""
from django.conf import settings
from django.db import models


class Batch(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="batches")
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    # Saved with every chunk: the heartbeat of a run.
    updated_at = models.DateTimeField(auto_now=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)  # lines read from the file
    runnable = models.PositiveIntegerField(default=0)  # lines that passed reading: each run searches them
    done = models.PositiveIntegerField(default=0)  # lines of this run searched (or refused by the search)
    # What the file as a whole said beside its lines: columns left unread and the like.
    notes = models.JSONField(default=list, blank=True)
    runs = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Articles from this id on arrived after this run started (following.arrivals.current_mark) ...
    mark = models.BigIntegerField(default=0)
    # ... and from this one on after the run before started: the lines count them as new.
    new_from_id = models.BigIntegerField(null=True, blank=True)
    previous_started_at = models.DateTimeField(null=True, blank=True)
    # When the message for its next chunk was last sent (null: not since the run started).
    sent_at = models.DateTimeField(null=True, blank=True)
    # The task searching its chunk now, until when (a redelivered message is the same task).
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "batches"
        indexes = [models.Index(fields=["status"], condition=~models.Q(status="done"), name="batch_unfinished")]

    def __str__(self):
        return self.name

    @property
    def finished(self):
        return self.status == self.Status.DONE

    @property
    def refused(self):
        """Lines refused when the file was read."""
        return self.total - self.runnable


class Line(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        DONE = "done"
        REFUSED = "refused"  # when read (empty, too long) or by the search (a bad date, say)

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="lines")
    number = models.PositiveIntegerField()  # its line in the file
    # The cells as written (cut to what is ever stored).
    query = models.TextField()
    date_from = models.CharField(max_length=300, blank=True)
    date_to = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=300, blank=True)
    readable = models.BooleanField(default=True)  # passed reading: every run searches it
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True)
    # The line's search page (its query string), and what it found.
    search_query = models.TextField(blank=True)
    hits = models.PositiveIntegerField(null=True, blank=True)
    stories = models.PositiveIntegerField(null=True, blank=True)  # the stories its articles are versions of
    previous_hits = models.PositiveIntegerField(null=True, blank=True)  # the run before's
    new = models.PositiveIntegerField(null=True, blank=True)  # articles arrived since the run before started
    first_seen = models.DateField(null=True, blank=True)
    last_seen = models.DateField(null=True, blank=True)
    sources = models.JSONField(default=list, blank=True)  # [{"name", "count"}], most first
    entities = models.JSONField(default=list, blank=True)  # [{"kind", "id", "label", "count"}], most first
    named = models.JSONField(default=list, blank=True)  # [{"kind", "id", "label"}]: the entities the line names
    searched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="unique_batch_line")]
        indexes = [models.Index(fields=["batch", "status", "number"], name="batch_line_status")]

    def __str__(self):
        return f"{self.batch} line {self.number}"
