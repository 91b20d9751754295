locals {
  api_base   = trimsuffix(google_cloudfunctions2_function.fn["create_session"].url, "/create_session")
  widget_url = "https://storage.googleapis.com/${google_storage_bucket.widget.name}/widget.js"
  frontend   = "${path.module}/../frontend"

  # The console is served by operator_api itself, at its own run.app URL: an origin (and, run.app
  # being a public suffix, a site) that no one else can publish a page on. Cloud Run gives every
  # service the deterministic URL https://<service>-<project number>.<region>.run.app, known before
  # the function exists, so operator_api's own settings can name it without a dependency cycle (an
  # attribute of the function would be one). A gen2 function's service is its name with "_" as "-".
  console_service = replace("operator_api", "_", "-")
  console_url     = "https://${local.console_service}-${data.google_project.this.number}.${var.region}.run.app"
}

data "google_project" "this" {
  project_id = var.project_id
}

# After apply: the URL the console's settings name is one the operator_api service answers on.
check "console_url_is_served_by_operator_api" {
  data "google_cloud_run_v2_service" "operator_api" {
    name     = reverse(split("/", google_cloudfunctions2_function.fn["operator_api"].service_config[0].service))[0]
    location = var.region
  }

  assert {
    condition     = contains(data.google_cloud_run_v2_service.operator_api.urls, local.console_url)
    error_message = "operator_api does not answer at ${local.console_url} (CONSOLE_URL): see infra/README.md, The support team's console."
  }
}

# The widget script, loaded by the shop's pages (it runs in their origin, not this bucket's). The
# bucket serves no page: a page here would share its origin with every public bucket.
resource "google_storage_bucket" "widget" {
  # checkov:skip=CKV_GCP_114: Public access prevention would block the public widget script.
  # checkov:skip=CKV_GCP_62: Static public assets; access logs would only record anonymous page views.
  name                        = "${var.project_id}-${var.name_prefix}-widget"
  location                    = var.region
  uniform_bucket_level_access = true
  force_destroy               = true

  versioning {
    enabled = true
  }

  cors {
    origin          = ["*"]
    method          = ["GET", "HEAD"]
    response_header = ["Content-Type"]
    max_age_seconds = 3600
  }
}

resource "google_storage_bucket_iam_member" "widget_public" {
  # checkov:skip=CKV_GCP_28: A public bucket: the widget script must be readable by every visitor.
  bucket = google_storage_bucket.widget.name
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}

resource "google_storage_bucket_object" "widget_js" {
  name          = "widget.js"
  bucket        = google_storage_bucket.widget.name
  source        = "${local.frontend}/widget.js"
  content_type  = "text/javascript; charset=utf-8"
  cache_control = "public, max-age=300"
}
