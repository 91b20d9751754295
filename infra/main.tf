locals {
  services = concat(
    [
      "artifactregistry.googleapis.com",
      "cloudbuild.googleapis.com",
      "cloudfunctions.googleapis.com",
      "cloudscheduler.googleapis.com",
      "iam.googleapis.com",
      "iamcredentials.googleapis.com", # Terraform mints the scheduler's token for prepare_deployment
      "logging.googleapis.com",
      "run.googleapis.com",
      "secretmanager.googleapis.com",
      "sqladmin.googleapis.com",
      "storage.googleapis.com",
    ],
    var.gemini_backend == "vertex" ? ["aiplatform.googleapis.com"] : [],
  )
}

resource "google_project_service" "enabled" {
  for_each           = toset(local.services)
  service            = each.value
  disable_on_destroy = false
}

# The identity the functions run as: it may reach the database as its IAM user, read the one
# secret, and call Vertex AI when chosen; nothing else.
resource "google_service_account" "functions" {
  account_id   = "${var.name_prefix}-functions"
  display_name = "Support bot functions"
}

# Builds the function containers from the uploaded source.
resource "google_service_account" "build" {
  account_id   = "${var.name_prefix}-build"
  display_name = "Support bot function builds"
}

# Calls the private functions with an OIDC token: purge_expired and deliver_notifications on
# schedule, prepare_deployment after each deploy (Terraform mints that token; infra/prepare.tf).
resource "google_service_account" "scheduler" {
  account_id   = "${var.name_prefix}-scheduler"
  display_name = "Support bot maintenance scheduler"
}

resource "google_project_iam_member" "functions" {
  for_each = toset(concat(
    ["roles/cloudsql.client", "roles/cloudsql.instanceUser"],
    var.gemini_backend == "vertex" ? ["roles/aiplatform.user"] : [],
  ))
  project = var.project_id
  role    = each.value
  member  = google_service_account.functions.member
}

resource "google_project_iam_member" "build" {
  for_each = toset([
    "roles/artifactregistry.writer",
    "roles/logging.logWriter",
  ])
  project = var.project_id
  role    = each.value
  member  = google_service_account.build.member
}

resource "google_storage_bucket_iam_member" "build_reads_source" {
  bucket = google_storage_bucket.source.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.build.member
}
