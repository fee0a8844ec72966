"""The archive's source of truth: articles, their entities, and import batches."""
from collections import Counter

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from articles.datewindow import validate_article_date


class ImportBatch(models.Model):
    """One upload or command-line import, with the counts its report shows."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    created_at = models.DateTimeField(auto_now_add=True)
    # Saved with every chunk: a running batch whose heartbeat stops was interrupted.
    updated_at = models.DateTimeField(auto_now=True)
    # When its import task was last sent to the worker queue (null: never reached it).
    queued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    label = models.CharField(max_length=300, blank=True)
    default_source = models.CharField(max_length=200, blank=True)
    default_date = models.DateField(null=True, blank=True)
    enrich = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    files_seen = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    # A list of {"where": ..., "outcome": ..., "reason": ...} for everything not simply created.
    problems = models.JSONField(default=list, blank=True)
    MAX_PROBLEMS_KEPT = 1000
    # What to do after an import stopped part-way, said wherever one is reported.
    HOW_TO_FINISH = "import the same files again to finish (items already stored are recognised and skipped)"

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "import batches"

    def __str__(self):
        return self.label or f"Import #{self.pk}"

    @property
    def items_done(self):
        return self.created + self.updated + self.skipped + self.failed

    def add_problems(self, entries):
        """Keep the first MAX_PROBLEMS_KEPT entries of each outcome, so failures are never
        crowded out by thousands of skipped duplicates."""
        kept = Counter(entry["outcome"] for entry in self.problems)
        for entry in entries:
            if kept[entry["outcome"]] < self.MAX_PROBLEMS_KEPT:
                kept[entry["outcome"]] += 1
                self.problems.append(entry)

    def restart(self, files_seen):
        """Start (or start again after a crash) counting from zero."""
        self.status = self.Status.RUNNING
        self.files_seen = files_seen
        self.created = self.updated = self.skipped = self.failed = 0
        self.problems = []
        self.finished_at = None
        self.save()

    def close_interrupted(self):
        """The importing process stopped and there is nothing to resume from."""
        self.status = self.Status.FAILED
        self.finished_at = timezone.now()
        self.add_problems([{"where": "", "outcome": "failed", "reason": (
            f"import interrupted after {self.items_done} item(s): the importing process stopped; "
            f"{self.HOW_TO_FINISH}."
        )}])
        self.save()


# An article whose search-index copy is missing or older than the row.
INDEX_COPY_STALE = Q(indexed_at__isnull=True) | Q(indexed_at__lt=F("updated_at"))
# An article the resolver has not looked for the archive's known names in since its last enrichment.
KNOWN_NAMES_UNREAD = Q(enriched_at__isnull=False) & (Q(recalled_at__isnull=True) | Q(recalled_at__lt=F("enriched_at")))


class Article(models.Model):
    class Enrichment(models.TextChoices):
        PENDING = "pending"
        ENRICHED = "enriched"
        FAILED = "failed"
        SKIPPED = "skipped"  # imported with enrichment turned off

    title = models.CharField(max_length=500)
    body = models.TextField()
    # The text as decoded from the upload, before cleaning, so cleaning can be re-run.
    original_title = models.CharField(max_length=500, blank=True)
    original_body = models.TextField(blank=True)
    source = models.CharField(max_length=200, blank=True, db_index=True)
    url = models.URLField(max_length=2000, blank=True)
    external_id = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=300, blank=True)
    language = models.CharField(max_length=20, blank=True)
    # Unknown dates stay unknown (null): never silently "now". Within datewindow's dates.
    published_at = models.DateTimeField(null=True, blank=True, db_index=True, validators=[validate_article_date])
    # sha256 of the cleaned title and body: the same article uploaded twice is one row.
    content_hash = models.CharField(max_length=64, unique=True)
    # sha256 of the text as uploaded: the same upload is recognised even after cleaning rules change.
    original_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # Source metadata such as Reuters editors' tags; never counted as extracted entities.
    metadata = models.JSONField(default=dict, blank=True)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    enrichment_status = models.CharField(
        max_length=10, choices=Enrichment.choices, default=Enrichment.PENDING, db_index=True
    )
    enrichment_error = models.TextField(blank=True)
    enriched_at = models.DateTimeField(null=True, blank=True)
    # Delivery bookkeeping, so the reconciler can tell lost work from work in progress:
    # when the article was last sent to the queue, which task works on it since when,
    # and how many times a task started on it (a crash loop ends after MAX_ATTEMPTS).
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    enrichment_attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # The updated_at value of the copy in Elasticsearch; stale when older or null.
    indexed_at = models.DateTimeField(null=True, blank=True)
    # The updated_at value of a version Elasticsearch refused, and why: not retried until
    # the article changes again.
    index_rejected_at = models.DateTimeField(null=True, blank=True)
    index_error = models.TextField(blank=True)
    # The enriched_at value of the enrichment whose text the resolver last looked for the
    # archive's known organizations in (articles.enrichment.resolution.recall).
    recalled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        # The reconciler pages through stale rows every RECONCILE_INTERVAL, the resolver through
        # unread ones every RESOLVE_INTERVAL: with these indexes they read the few, not every row.
        indexes = [models.Index(fields=["id"], condition=INDEX_COPY_STALE, name="article_stale_in_index"),
                   models.Index(fields=["id"], condition=KNOWN_NAMES_UNREAD, name="article_known_names_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="unique_article_url"
            ),
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="unique_article_external_id",
            ),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def stale_in_index(cls):
        """Articles whose search-index copy is missing or older than the row (and whose
        current version Elasticsearch has not refused). Articles waiting for enrichment
        are left to their task, which indexes them once, with their entities."""
        return (
            cls.objects.filter(INDEX_COPY_STALE)
            .exclude(index_rejected_at=F("updated_at"))
            .exclude(enrichment_status=cls.Enrichment.PENDING)
        )

    def text_changed(self, enrich=True):
        """The title or body changed: its entities are out of date."""
        self.enrichment_status = self.Enrichment.PENDING if enrich else self.Enrichment.SKIPPED
        self.enrichment_attempts = 0


class Entity(models.Model):
    """A person, country or organization, one row across the whole archive."""

    class Kind(models.TextChoices):
        PERSON = "person"
        COUNTRY = "country"
        ORGANIZATION = "organization"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    # Normalised key: lower-case, accents and titles removed; the ISO code for countries.
    # How extraction finds the entity again, never how an address names it (see `ref`).
    key = models.CharField(max_length=200)
    name = models.CharField(max_length=300)
    # Set when the entity was merged into another: it keeps no mentions, and every address
    # naming it (page, filter, saved search) leads to the survivor.
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")

    class Meta:
        verbose_name_plural = "entities"
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="unique_entity_kind_key")
        ]

    def __str__(self):
        return f"{self.name} ({self.kind})"

    @property
    def ref(self):
        """The entity's stable identifier in every address: the ISO code of a country, else a
        letter for the kind and the row's id ("p12"), which no rename or merge changes."""
        return self.key if self.kind == self.Kind.COUNTRY else f"{REF_PREFIXES[self.kind]}{self.pk}"


REF_PREFIXES = {Entity.Kind.PERSON: "p", Entity.Kind.ORGANIZATION: "o"}


class Mention(models.Model):
    """How an entity is written in one article, and where."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")
    # Indexed: the resolver asks which entities an acronym or short name is written for.
    surface = models.CharField(max_length=300, db_index=True)
    count = models.PositiveIntegerField(default=1)
    # [[start, end], ...] character offsets into article.body.
    offsets = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "entity", "surface"], name="unique_mention_surface"
            )
        ]

    def __str__(self):
        return f"{self.surface} -> {self.entity}"


class Curation(models.Model):
    """One change staff made to the entities: the record of who did what, and, for merges,
    splits and blocks, a rule that enrichment applies after every extraction (so re-running
    enrichment never undoes it)."""

    class Action(models.TextChoices):
        MERGE = "merge", "merged into"
        RENAME = "rename", "renamed"
        SPLIT = "split", "alias split off into"
        BLOCK = "block", "blocked"

    action = models.CharField(max_length=6, choices=Action.choices)
    kind = models.CharField(max_length=12, choices=Entity.Kind.choices)
    key = models.CharField(max_length=200)  # the entity changed, by its key at the time
    name = models.CharField(max_length=300)  # its name at the time
    surface = models.CharField(max_length=300, blank=True)  # split: the alias split off
    target_key = models.CharField(max_length=200, blank=True)  # merge, split: where mentions go
    target_name = models.CharField(max_length=300, blank=True)  # merge, split: its name; rename: the new name
    articles = models.PositiveIntegerField(default=0)  # articles re-indexed by the change
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "key"])]

    def __str__(self):
        target = f" {self.target_name}" if self.target_name else ""
        what = f"{self.name} ({self.surface})" if self.surface else self.name
        return f"{what} {self.get_action_display()}{target}"


class Judgement(models.Model):
    """A decision on whether two entities are one, kept for good (as OpenSanctions'
    nomenklatura keeps its resolver's): the archive's resolver records the pairs it joined,
    staff the pairs they merged or dismissed. A pair with a judgement is never proposed
    again, and the resolver never joins a pair staff judged not the same."""

    class Verdict(models.TextChoices):
        SAME = "same"
        NOT_SAME = "not_same", "not the same"
        UNSURE = "unsure"

    class Judge(models.TextChoices):
        RESOLVER = "resolver"  # the archive-level resolver, from the evidence in `reason`
        STAFF = "staff"

    # The pair in id order (left.pk < right.pk), so each pair has one row.
    left = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(max_length=8, choices=Verdict.choices)
    judge = models.CharField(max_length=8, choices=Judge.choices)
    reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["left", "right"], name="unique_judgement_pair")]

    def __str__(self):
        return f"{self.left} / {self.right}: {self.get_verdict_display()} ({self.judge})"

    @classmethod
    def record(cls, first, second, verdict, judge, reason="", user=None):
        """Judge the pair (in either order); a staff judgement replaces any earlier one,
        the resolver's never replaces staff's."""
        left, right = sorted((first, second), key=lambda entity: entity.pk)
        existing = cls.objects.filter(left=left, right=right).first()
        if existing and existing.judge == cls.Judge.STAFF and judge != cls.Judge.STAFF:
            return existing
        values = {"verdict": verdict, "judge": judge, "reason": reason[:300], "created_by": user}
        judgement, _ = cls.objects.update_or_create(left=left, right=right, defaults=values)
        return judgement


class ResolutionProgress(models.Model):
    """How far the archive-level resolver has read: mentions are only ever added with
    higher ids, so the entities with mentions past `last_mention_id` are the ones whose
    evidence changed since its last run. One row."""

    last_mention_id = models.BigIntegerField(default=0)
    # A run holds the resolver until then (or until it ends), so two never overlap.
    held_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)


class NameEvidence(models.Model):
    """How consistently the model reads a name the archive knows as an organization: of the
    articles read since the name became a candidate (articles.enrichment.resolution.recall),
    how many write it, and in how many of those the model found that organization."""

    surface = models.CharField(max_length=300, unique=True)
    written = models.PositiveIntegerField(default=0)
    tagged = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "name evidence"

    def __str__(self):
        return f"{self.surface}: tagged in {self.tagged} of {self.written}"

    @property
    def tagged_share(self):
        return self.tagged / self.written if self.written else 0.0


class Story(models.Model):
    """The versions of one story (a story filed, updated, corrected, re-sent): a group of
    near-duplicate articles (articles.stories). Every grouped article belongs to one, most of
    them alone; the canonical version is the earliest full one."""

    canonical = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["-id"]

    def __str__(self):
        return f"Story {self.ref}"

    @property
    def ref(self):
        """The story's id in the search index and in addresses ("s12")."""
        return f"s{self.pk}"


class Version(models.Model):
    """An article's place in a story, and its MinHash signature (articles.stories.signatures).
    Staff's placement (a split or a join) is kept: grouping never moves a version staff placed."""

    article = models.OneToOneField(Article, primary_key=True, on_delete=models.CASCADE, related_name="version")
    story = models.ForeignKey(Story, on_delete=models.PROTECT, related_name="versions")
    signature = models.BinaryField()
    shingles = models.PositiveIntegerField(default=0)  # the size of its shingle set
    staff_placed_at = models.DateTimeField(null=True, blank=True)
    staff_placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")

    def __str__(self):
        return f"{self.article_id} in {self.story_id}"


class VersionBand(models.Model):
    """One LSH band of a version's signature, indexed: articles that share a band key are
    candidate versions of each other. Rows, not an in-memory index, so that every worker sees
    the others' articles and a restarted worker loses nothing."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField(db_index=True)
