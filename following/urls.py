from django.urls import path

from . import views

app_name = "following"
urlpatterns = [
    path("accounts/signup/", views.signup_page, name="signup"),
    path("accounts/login/", views.login_page, name="login"),
    path("accounts/logout/", views.logout_page, name="logout"),
    path("accounts/", views.account_page, name="account"),
    path("accounts/email/send", views.send_verification, name="send_verification"),
    path("accounts/email/verify/<str:token>", views.verify_email, name="verify_email"),
    path("accounts/password/", views.password_change_page, name="password_change"),
    path("accounts/password/reset/", views.password_reset_page, name="password_reset"),
    path("accounts/password/reset/<uidb64>/<token>/", views.password_reset_confirm_page, name="password_reset_confirm"),
    path("accounts/delete/", views.delete_account_page, name="delete_account"),
    path("searches/", views.searches_page, name="searches"),
    path("searches/new", views.save_search_page, name="save"),
    path("searches/<int:search_id>/", views.update_search, name="update"),
    path("searches/<int:search_id>/delete", views.delete_search, name="delete"),
    path("searches/<int:search_id>/open", views.open_search, name="open"),
    path("stories/follow/<int:article_id>", views.follow_story, name="follow_story"),
    path("feeds/search", views.search_feed, name="feed"),
]
