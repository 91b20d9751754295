locals {
  api_base   = trimsuffix(google_cloudfunctions2_function.fn["create_session"].url, "/create_session")
  widget_url = "https://storage.googleapis.com/${google_storage_bucket.widget.name}/widget.js"
  frontend   = "${path.module}/../frontend"
}

# The widget and the demo page, served to any visitor.
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

  website {
    main_page_suffix = "index.html"
  }

  cors {
    origin          = ["*"]
    method          = ["GET", "HEAD"]
    response_header = ["Content-Type"]
    max_age_seconds = 3600
  }
}

resource "google_storage_bucket_iam_member" "widget_public" {
  # checkov:skip=CKV_GCP_28: A public website bucket: the widget script must be readable by every visitor.
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

resource "google_storage_bucket_object" "demo_css" {
  name          = "demo.css"
  bucket        = google_storage_bucket.widget.name
  source        = "${local.frontend}/demo.css"
  content_type  = "text/css; charset=utf-8"
  cache_control = "public, max-age=300"
}

# The demo page, pointed at this deployment's functions.
resource "google_storage_bucket_object" "demo_page" {
  name          = "index.html"
  bucket        = google_storage_bucket.widget.name
  content       = replace(file("${local.frontend}/index.html"), "data-api-base=\"\"", "data-api-base=\"${local.api_base}\"")
  content_type  = "text/html; charset=utf-8"
  cache_control = "public, max-age=60"
}

# The operator console, pointed at this deployment's operator API and Google sign-in client.
resource "google_storage_bucket_object" "console_page" {
  name   = "console.html"
  bucket = google_storage_bucket.widget.name
  content = replace(
    replace(file("${local.frontend}/console.html"), "name=\"support-api-base\" content=\"\"", "name=\"support-api-base\" content=\"${local.api_base}\""),
    "name=\"google-client-id\" content=\"\"", "name=\"google-client-id\" content=\"${var.google_oauth_client_id}\""
  )
  content_type  = "text/html; charset=utf-8"
  cache_control = "no-cache"
}

resource "google_storage_bucket_object" "console_js" {
  name          = "console.js"
  bucket        = google_storage_bucket.widget.name
  source        = "${local.frontend}/console.js"
  content_type  = "text/javascript; charset=utf-8"
  cache_control = "no-cache"
}
