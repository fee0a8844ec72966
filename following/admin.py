"""Staff can see what readers follow and what was sent to them; sending is the worker's."""
from django.contrib import admin

from .models import Delivery, Digest, SavedSearch


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "alert", "created_at", "visited_at"]
    list_filter = ["alert"]
    search_fields = ["name", "user__username", "query"]
    readonly_fields = ["created_at", "visited_at", "new_from_id"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["article", "saved_search", "matched_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "frequency", "period", "status", "sent_at", "attempts"]
    list_filter = ["status", "frequency"]
    search_fields = ["user__username", "user__email"]
    readonly_fields = ["user", "frequency", "period", "status", "created_at", "claimed_at", "sent_at", "attempts", "error"]
    inlines = [DeliveryInline]

    def has_add_permission(self, request):
        return False
