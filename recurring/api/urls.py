from django.urls import path

from recurring.api import views

urlpatterns = [
    path("", views.RecurringListCreateView.as_view(), name="recurring-list"),
    path("<uuid:recurring_id>/", views.RecurringDetailView.as_view(), name="recurring-detail"),
    path("<uuid:recurring_id>/pause/", views.RecurringActionView.as_view(action_name="pause"), name="recurring-pause"),
    path(
        "<uuid:recurring_id>/resume/", views.RecurringActionView.as_view(action_name="resume"), name="recurring-resume"
    ),
]
