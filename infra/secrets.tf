# Only with the Gemini Developer API: the key lives in Secret Manager, never in Terraform files
# or state. Add its value once with:
#   printf %s "$KEY" | gcloud secrets versions add <name_prefix>-gemini-api-key --data-file=-
resource "google_secret_manager_secret" "gemini_api_key" {
  count     = var.gemini_backend == "developer_api" ? 1 : 0
  secret_id = "${var.name_prefix}-gemini-api-key"

  replication {
    auto {}
  }

  depends_on = [google_project_service.enabled]
}

resource "google_secret_manager_secret_iam_member" "functions_read_key" {
  count     = var.gemini_backend == "developer_api" ? 1 : 0
  secret_id = google_secret_manager_secret.gemini_api_key[0].id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.functions.member
}

# With answer_provider = "openai" and a server that wants a key: the key lives in Secret Manager,
# never in Terraform files or state. Add its value once with:
#   printf %s "$KEY" | gcloud secrets versions add <name_prefix>-openai-api-key --data-file=-
resource "google_secret_manager_secret" "openai_api_key" {
  count     = var.answer_provider == "openai" && var.openai_needs_api_key ? 1 : 0
  secret_id = "${var.name_prefix}-openai-api-key"

  replication {
    auto {}
  }

  depends_on = [google_project_service.enabled]
}

resource "google_secret_manager_secret_iam_member" "functions_read_openai_key" {
  count     = var.answer_provider == "openai" && var.openai_needs_api_key ? 1 : 0
  secret_id = google_secret_manager_secret.openai_api_key[0].id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.functions.member
}

# Handover notifications: the webhook URLs (they embed credentials) and the signing secret. Add
# each value once, e.g.:
#   printf %s "$URL" | gcloud secrets versions add <name_prefix>-slack-webhook-url --data-file=-
locals {
  notification_secrets = merge(
    var.notify_slack ? { SLACK_WEBHOOK_URL = "slack-webhook-url" } : {},
    var.notify_webhook ? { NOTIFY_WEBHOOK_URL = "notify-webhook-url", NOTIFY_WEBHOOK_SECRET = "notify-webhook-secret" } : {},
  )
}

resource "google_secret_manager_secret" "notification" {
  for_each  = local.notification_secrets
  secret_id = "${var.name_prefix}-${each.value}"

  replication {
    auto {}
  }

  depends_on = [google_project_service.enabled]
}

resource "google_secret_manager_secret_iam_member" "functions_read_notification" {
  for_each  = google_secret_manager_secret.notification
  secret_id = each.value.id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.functions.member
}
