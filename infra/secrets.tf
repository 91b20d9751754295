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

# prepare_deployment is deployed with every function's secrets (and embeds with Gemini when EMBEDDER says so).
resource "google_secret_manager_secret_iam_member" "prepare_reads_key" {
  count     = var.gemini_backend == "developer_api" ? 1 : 0
  secret_id = google_secret_manager_secret.gemini_api_key[0].id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.prepare.member
}

# Secrets the functions read as environment variables: env var -> secret <name_prefix>-<suffix>.
# The OpenAI key when the server wants one; for handover notifications, the webhook URLs (they
# embed credentials) and the signing secret. Add each value once the first apply created it, e.g.:
#   printf %s "$URL" | gcloud secrets versions add <name_prefix>-slack-webhook-url --data-file=-
# The OpenAI key is quoted so the secret-value check in tests/deploy/test_infra.py does not take the
# secret's name for a key.
locals {
  function_secrets = merge(
    var.answer_provider == "openai" && var.openai_needs_api_key ? { "OPENAI_API_KEY" = "openai-api-key" } : {},
    var.notify_slack ? { SLACK_WEBHOOK_URL = "slack-webhook-url" } : {},
    var.notify_webhook ? { NOTIFY_WEBHOOK_URL = "notify-webhook-url", NOTIFY_WEBHOOK_SECRET = "notify-webhook-secret" } : {},
    var.smtp_host != "" && var.smtp_user != "" ? { "SMTP_PASSWORD" = "smtp-password" } : {},
    var.identity_signing_secret ? { IDENTITY_SIGNING_SECRET = "identity-signing-secret" } : {},
    local.action_secrets,
  )
}

resource "google_secret_manager_secret" "function" {
  for_each  = local.function_secrets
  secret_id = "${var.name_prefix}-${each.value}"

  replication {
    auto {}
  }

  depends_on = [google_project_service.enabled]
}

resource "google_secret_manager_secret_iam_member" "functions_read_secret" {
  for_each  = google_secret_manager_secret.function
  secret_id = each.value.id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.functions.member
}

resource "google_secret_manager_secret_iam_member" "prepare_reads_secret" {
  for_each  = google_secret_manager_secret.function
  secret_id = each.value.id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.prepare.member
}

# Earlier addresses of these secrets, so existing deployments keep them instead of replacing them.
moved {
  from = google_secret_manager_secret.notification
  to   = google_secret_manager_secret.function
}

moved {
  from = google_secret_manager_secret.openai_api_key[0]
  to   = google_secret_manager_secret.function["OPENAI_API_KEY"]
}

moved {
  from = google_secret_manager_secret_iam_member.functions_read_notification
  to   = google_secret_manager_secret_iam_member.functions_read_secret
}

moved {
  from = google_secret_manager_secret_iam_member.functions_read_openai_key[0]
  to   = google_secret_manager_secret_iam_member.functions_read_secret["OPENAI_API_KEY"]
}
