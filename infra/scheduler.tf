resource "google_cloud_run_v2_service_iam_member" "scheduler_invokes_purge" {
  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.fn["purge_expired"].service_config[0].service
  role     = "roles/run.invoker"
  member   = google_service_account.scheduler.member
}

resource "google_cloud_scheduler_job" "purge_expired" {
  name             = "${var.name_prefix}-purge-expired"
  region           = var.region
  description      = "Erase sessions idle for more than ${var.retention_days} days."
  schedule         = var.purge_schedule
  time_zone        = var.time_zone
  attempt_deadline = "320s"

  retry_config {
    retry_count = 3
  }

  http_target {
    http_method = "POST"
    uri         = google_cloudfunctions2_function.fn["purge_expired"].url

    oidc_token {
      service_account_email = google_service_account.scheduler.email
      audience              = local.purge_audience
    }
  }

  depends_on = [google_cloud_run_v2_service_iam_member.scheduler_invokes_purge]
}

resource "google_cloud_run_v2_service_iam_member" "scheduler_invokes_delivery" {
  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.fn["deliver_notifications"].service_config[0].service
  role     = "roles/run.invoker"
  member   = google_service_account.scheduler.member
}

# Every minute: each handover's follow-up (the agents' summary, then Slack / the webhook), which the
# customer's request leaves to the outbox, and retries of notifications a receiver refused.
resource "google_cloud_scheduler_job" "deliver_notifications" {
  name             = "${var.name_prefix}-deliver-notifications"
  region           = var.region
  description      = "Follow up handovers (summary, notifications) and retry refused notifications."
  schedule         = "* * * * *"
  time_zone        = var.time_zone
  attempt_deadline = "120s"

  http_target {
    http_method = "POST"
    uri         = google_cloudfunctions2_function.fn["deliver_notifications"].url

    oidc_token {
      service_account_email = google_service_account.scheduler.email
      audience              = local.deliver_audience
    }
  }

  depends_on = [google_cloud_run_v2_service_iam_member.scheduler_invokes_delivery]
}

resource "google_cloud_run_v2_service_iam_member" "scheduler_invokes_sync" {
  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.fn["sync_knowledge"].service_config[0].service
  role     = "roles/run.invoker"
  member   = google_service_account.scheduler.member
}

# Every hour: the knowledge sources last synced knowledge_sync_hours ago or more (none is due in
# most runs, which then end at once). No retry: the next hour's run picks up what failed.
resource "google_cloud_scheduler_job" "sync_knowledge" {
  name             = "${var.name_prefix}-sync-knowledge"
  region           = var.region
  description      = "Re-sync the help-center sources not synced for ${var.knowledge_sync_hours} hours."
  schedule         = "0 * * * *"
  time_zone        = var.time_zone
  attempt_deadline = "1800s"

  http_target {
    http_method = "POST"
    uri         = google_cloudfunctions2_function.fn["sync_knowledge"].url

    oidc_token {
      service_account_email = google_service_account.scheduler.email
      audience              = local.sync_audience
    }
  }

  depends_on = [google_cloud_run_v2_service_iam_member.scheduler_invokes_sync]
}
