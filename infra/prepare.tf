# One-step deploys: after every apply that changes the archive or the functions' settings,
# Terraform calls the private prepare_deployment function, which migrates the schema, grants the
# functions' database user its row privileges and imports knowledge_base.json, embedded by the
# encoders of the archive just deployed (shared/services/prepare.py). Nothing runs from a laptop,
# so the knowledge base's vectors always match the embedder that searches them.

locals {
  # prepare_deployment logs in as its own IAM database user, which may run DDL.
  prepare_environment = {
    DB_USER     = google_sql_user.prepare.name
    DB_GRANT_TO = google_sql_user.functions.name
  }
}

# The identity prepare_deployment runs as: the functions' rights, plus DDL in the database.
resource "google_service_account" "prepare" {
  account_id   = "${var.name_prefix}-prepare"
  display_name = "Support bot deploy preparation (migrations, knowledge base)"
}

resource "google_project_iam_member" "prepare" {
  for_each = toset(concat(
    ["roles/cloudsql.client", "roles/cloudsql.instanceUser"],
    var.gemini_backend == "vertex" ? ["roles/aiplatform.user"] : [],
  ))
  project = var.project_id
  role    = each.value
  member  = google_service_account.prepare.member
}

# cloudsqlsuperuser may create the vector and pg_trgm extensions the migrations need.
resource "google_sql_user" "prepare" {
  name           = trimsuffix(google_service_account.prepare.email, ".gserviceaccount.com")
  instance       = google_sql_database_instance.main.name
  type           = "CLOUD_IAM_SERVICE_ACCOUNT"
  database_roles = ["cloudsqlsuperuser"]
}

# Terraform presents a token of the scheduler's identity, which the function checks, as for the
# scheduled jobs; whoever runs terraform apply may mint such a token (and nothing else).
data "google_client_openid_userinfo" "deployer" {}

resource "google_service_account_iam_member" "deployer_mints_scheduler_tokens" {
  service_account_id = google_service_account.scheduler.name
  role               = "roles/iam.serviceAccountOpenIdTokenCreator"
  member = (
    endswith(data.google_client_openid_userinfo.deployer.email, ".gserviceaccount.com")
    ? "serviceAccount:${data.google_client_openid_userinfo.deployer.email}"
    : "user:${data.google_client_openid_userinfo.deployer.email}"
  )
}

resource "google_cloud_run_v2_service_iam_member" "scheduler_invokes_prepare" {
  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.fn["prepare_deployment"].service_config[0].service
  role     = "roles/run.invoker"
  member   = google_service_account.scheduler.member
}

resource "terraform_data" "prepare" {
  # A new archive (code, knowledge_base.json, encoders) or new settings: prepare again.
  triggers_replace = [
    google_storage_bucket_object.source.name,
    sha1(jsonencode(local.environment)),
  ]

  provisioner "local-exec" {
    # Retries cover IAM grants still propagating on a first apply.
    command = <<-EOT
      curl --fail-with-body --silent --show-error --max-time 900 \
        --retry 6 --retry-all-errors --retry-delay 20 -X POST \
        -H "Authorization: Bearer $(gcloud auth print-identity-token \
          --impersonate-service-account=${google_service_account.scheduler.email} \
          --audiences=${local.prepare_audience} --include-email)" \
        ${google_cloudfunctions2_function.fn["prepare_deployment"].url}
    EOT
  }

  depends_on = [
    google_cloudfunctions2_function.fn,
    google_cloud_run_v2_service_iam_member.scheduler_invokes_prepare,
    google_service_account_iam_member.deployer_mints_scheduler_tokens,
    google_project_iam_member.prepare,
    google_project_service.enabled,
  ]
}
