"""Staff pages: upload batches with live progress, article status with re-run actions, and
entity curation."""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from articles import pipeline, stories
from articles.enrichment import curation
from articles.enrichment.resolution import DUPLICATE_KINDS, dismiss_pair, live_pair, possible_duplicates
from articles.ingest.cleaning import clean_article
from articles.ingest.uploads import store_upload
from articles.models import Article, Curation, Entity, ImportBatch, Mention, Story
from articles.web.forms import UploadForm


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at", "status", "files_seen", "created", "updated",
                    "skipped", "failed", "enrichment_done"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields] + ["enrichment_done", "problem_table"]
    exclude = ["problems"]
    change_form_template = "admin/articles/importbatch/change_form.html"
    change_list_template = "admin/articles/importbatch/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            enriched_count=Count("articles", filter=Q(articles__enrichment_status="enriched")),
            article_count=Count("articles"),
        )

    @admin.display(description="enrichment done")
    def enrichment_done(self, batch):
        return f"{batch.enriched_count} / {batch.article_count}"

    @admin.display(description="skipped, updated and failed items")
    def problem_table(self, batch):
        if not batch.problems:
            return "None"
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((p["outcome"], p["where"], p["reason"]) for p in batch.problems),
        )
        return format_html(
            "<table><thead><tr><th>outcome</th><th>where</th><th>reason</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            rows,
        )

    def has_add_permission(self, request):
        return False  # batches come from the upload page

    def get_urls(self):
        upload = path("upload/", self.admin_site.admin_view(self.upload_view), name="articles_upload")
        return [upload] + super().get_urls()

    def upload_view(self, request):
        if not request.user.has_perm("articles.add_article"):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            batch = store_upload(
                form.cleaned_data["files"],
                request.user,
                default_source=form.cleaned_data["default_source"],
                default_date=form.cleaned_data["default_date"],
                enrich=form.cleaned_data["enrich"],
            )
            if pipeline.queue_import(batch):
                messages.success(request, f"{batch} queued; this page shows its progress.")
            else:
                messages.warning(request, (
                    f"{batch} is stored, but the task queue is unavailable right now. "
                    "The import starts by itself once the queue is back; this page shows its progress."
                ))
            return redirect(reverse("admin:articles_importbatch_change", args=[batch.pk]))
        context = {**self.admin_site.each_context(request), "form": form, "title": "Upload articles",
                   "opts": self.model._meta}
        return TemplateResponse(request, "admin/articles/importbatch/upload.html", context)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "published_at", "enrichment_status", "indexed_at"]
    list_filter = ["enrichment_status", "source", "batch"]
    search_fields = ["title", "external_id", "url"]
    readonly_fields = ["content_hash", "enrichment_status", "enrichment_error", "enriched_at",
                       "created_at", "updated_at", "indexed_at", "batch", "story"]
    actions = ["rerun_cleaning", "rerun_enrichment", "split_off_story"]

    @admin.display(description="story")
    def story(self, article):
        version = getattr(article, "version", None) if article.pk else None
        if version is None:
            return "None (placed when enriched)"
        link = reverse("admin:articles_story_change", args=[version.story_id])
        return format_html('<a href="{}">{}</a>', link, version.story)

    @admin.action(description="Split off as stories of their own", permissions=["change"])
    def split_off_story(self, request, queryset):
        count = stories.split_off(list(queryset.values_list("id", flat=True)), request.user)
        self.message_user(request, f"{count} article(s) split off into stories of their own; "
                                   "enrichment will not put them back.")

    def save_model(self, request, obj, form, change):
        if {"title", "body"} & set(form.changed_data):
            obj.text_changed()
        super().save_model(request, obj, form, change)
        pipeline.queue_articles([obj.pk])

    @admin.action(description="Re-run cleaning on the original text", permissions=["change"])
    def rerun_cleaning(self, request, queryset):
        ids = []
        for article in queryset.exclude(original_body=""):
            cleaned = clean_article(article.original_title or article.title, article.original_body)
            article.title, article.body = cleaned.title[:500], cleaned.body
            article.source = article.source or cleaned.source
            article.text_changed()
            article.save()
            ids.append(article.pk)
        self._queued(request, ids, "Cleaning re-run")

    @admin.action(description="Re-run entity enrichment", permissions=["change"])
    def rerun_enrichment(self, request, queryset):
        ids = list(queryset.values_list("id", flat=True))
        Article.objects.filter(id__in=ids).update(
            enrichment_status=Article.Enrichment.PENDING, enrichment_attempts=0, claimed_by=""
        )
        self._queued(request, ids, "Enrichment requested")

    def _queued(self, request, ids, what):
        sent = pipeline.queue_articles(ids)
        if sent == len(ids):
            self.message_user(request, f"{what} for {len(ids)} article(s); queued.")
        else:
            self.message_user(request, (
                f"{what} for {len(ids)} article(s). The task queue is unavailable right now: "
                f"{len(ids) - sent} of them are sent automatically once it is back."
            ), messages.WARNING)


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    """Stories: the versions grouped as articles are enriched. Staff join stories here and
    split a version off from the articles' list; enrichment keeps both decisions."""

    list_display = ["__str__", "canonical", "version_count", "created_at"]
    search_fields = ["canonical__title"]
    fields = ["canonical", "created_at", "version_table"]
    readonly_fields = fields
    actions = ["join_stories"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("canonical").annotate(versions_total=Count("versions"))

    @admin.display(description="versions", ordering="versions_total")
    def version_count(self, story):
        return story.versions_total

    @admin.display(description="versions")
    def version_table(self, story):
        rows = format_html_join("", '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>', (
            (reverse("admin:articles_article_change", args=[v.article_id]), v.article.title,
             v.article.source, v.article.published_at or "", "staff" if v.staff_placed_at else "")
            for v in story.versions.select_related("article").order_by("article__published_at", "article_id")
        ))
        return format_html("<table><thead><tr><th>title</th><th>source</th><th>published</th><th>placed by</th>"
                           "</tr></thead><tbody>{}</tbody></table>", rows)

    def has_add_permission(self, request):
        return False  # stories come from enrichment (or from splitting a version off)

    @admin.action(description="Join selected stories into the first made", permissions=["change"])
    def join_stories(self, request, queryset):
        into = stories.join(list(queryset.values_list("id", flat=True)), request.user)
        if into is None:
            self.message_user(request, "Select two or more stories to join.", messages.ERROR)
        else:
            self.message_user(request, f"Joined into {into}; enrichment will not part them again.")


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    """Entities, and staff's fixes to them: merge, rename (edit the name), split off an
    alias (on the entity's page), block. Each change re-indexes the articles it touches."""

    list_display = ["name", "kind", "ref", "key", "mention_count"]
    list_filter = ["kind"]
    search_fields = ["name", "key"]
    fields = ["name", "kind", "ref", "key"]
    readonly_fields = ["kind", "ref", "key"]
    actions = ["merge_entities", "block_entities"]
    change_form_template = "admin/articles/entity/change_form.html"
    change_list_template = "admin/articles/entity/change_list.html"
    duplicates_per_page = 50

    def get_queryset(self, request):
        """Live entities only: a merged one is just the pointer its old addresses follow."""
        return super().get_queryset(request).filter(merged_into=None).annotate(mentions_total=Count("mentions"))

    @admin.display(description="Id")
    def ref(self, entity):
        return entity.ref

    @admin.display(description="Mentions", ordering="mentions_total")
    def mention_count(self, entity):
        return entity.mentions_total

    def has_add_permission(self, request):
        return False  # entities come from extraction (or from splitting an alias off)

    def save_model(self, request, obj, form, change):
        if change and "name" in form.changed_data:
            count = curation.rename(Entity.objects.get(pk=obj.pk), obj.name, request.user)
            self.message_user(request, f"Renamed; {count} article(s) are being re-indexed.")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("duplicates/", view(self.duplicates_view), name="articles_entity_duplicates"),
            path("duplicates/decide/", view(self.decide_view), name="articles_entity_duplicates_decide"),
            path("<path:object_id>/split/", view(self.split_view), name="articles_entity_split"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None:
            context["aliases"] = curation.ranked_aliases(obj)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def split_view(self, request, object_id):
        entity = self.get_object(request, object_id)
        if entity is None or not self.has_change_permission(request, entity) or request.method != "POST":
            raise PermissionDenied
        surface = request.POST.get("surface", "")
        name = request.POST.get("name", "").strip() or surface
        try:
            target = curation.split(entity, surface, name, request.user)
        except ValueError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return redirect("admin:articles_entity_change", entity.pk)
        self.message_user(request, f"“{surface}” is now {target.name}; its articles are being re-indexed.")
        return redirect("admin:articles_entity_change", target.pk)

    def duplicates_view(self, request):
        """Pairs that may be one entity, best first, for staff to merge or dismiss."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        kind = request.GET.get("kind") if request.GET.get("kind") in DUPLICATE_KINDS else None
        page = Paginator(possible_duplicates(kind), self.duplicates_per_page).get_page(request.GET.get("page"))
        return TemplateResponse(request, "admin/articles/entity/duplicates.html", {
            **self.admin_site.each_context(request), "title": "Possible duplicates", "opts": self.model._meta,
            "page": page, "kind": kind, "kinds": DUPLICATE_KINDS,
        })

    def decide_view(self, request):
        """Merge a proposed pair (into the entity named by `into`) or dismiss it, then back to the list."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        where = urlencode({k: request.POST[k] for k in ("kind", "page") if request.POST.get(k)})
        back = reverse("admin:articles_entity_duplicates") + (f"?{where}" if where else "")
        try:
            pair = live_pair(request.POST.get("first"), request.POST.get("second"))
        except ValueError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return redirect(back)
        first, second = pair
        into = request.POST.get("into")
        if into in (str(first.pk), str(second.pk)):
            keep, other = (first, second) if into == str(first.pk) else (second, first)
            count = curation.merge([other], keep, request.user)
            self.message_user(request, f"Merged {other.name} into {keep.name}; "
                                       f"{count} article(s) are being re-indexed.")
        elif request.POST.get("verdict") == "not_same":
            dismiss_pair(first, second, request.user)
            self.message_user(request, f"{first.name} and {second.name} are not the same: "
                                       "the pair will not be proposed again, and nothing is re-indexed.")
        else:
            self.message_user(request, "Choose the entity to keep, or “Not the same”.", messages.ERROR)
        return redirect(back)

    @admin.action(description="Merge selected entities…", permissions=["change"])
    def merge_entities(self, request, queryset):
        entities = list(queryset.order_by("-mentions_total"))
        if len({e.kind for e in entities}) != 1 or len(entities) < 2:
            self.message_user(request, "Select two or more entities of one kind to merge.", messages.ERROR)
            return None
        into_id = request.POST.get("into")
        if into_id:
            into = next((e for e in entities if str(e.pk) == into_id), None)
            if into is None:
                self.message_user(request, "Choose the entity to keep among the selected ones.", messages.ERROR)
                return None
            count = curation.merge(entities, into, request.user)
            self.message_user(request, f"Merged into {into.name}; {count} article(s) are being re-indexed.")
            return None
        return self._confirm(request, entities, "merge_entities", "Merge entities")

    @admin.action(description="Block selected entities…", permissions=["change"])
    def block_entities(self, request, queryset):
        entities = list(queryset)
        if request.POST.get("confirmed"):
            count = sum(curation.block(entity, request.user) for entity in entities)
            self.message_user(request, f"Blocked {len(entities)}; {count} article(s) are being re-indexed.")
            return None
        return self._confirm(request, entities, "block_entities", "Block entities")

    def _confirm(self, request, entities, action, title):
        return TemplateResponse(request, "admin/articles/entity/curate.html", {
            **self.admin_site.each_context(request), "title": title, "entities": entities,
            "action": action, "opts": self.model._meta,
        })


@admin.register(Curation)
class CurationAdmin(admin.ModelAdmin):
    """The record of staff's changes to entities. Deleting a merge, split or block lifts
    its rule for future enrichment (what it already changed stays)."""

    list_display = ["created_at", "created_by", "__str__", "kind", "articles"]
    list_filter = ["action", "kind"]
    search_fields = ["name", "key", "target_name", "surface"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ["surface", "entity", "article", "count"]
    raw_id_fields = ["article", "entity"]
