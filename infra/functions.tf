locals {
  repo_root = "${path.module}/.."

  # Built by `python -m devtools.archive` (./dev package): the code and the English MiniLM's
  # weights, copied from the installed weights package. Terraform cannot pack those itself: an
  # archive_file source holds text only.
  source_archive = "${local.repo_root}/build/function-source.zip"

  # Entry points of main.py, and how each scales. Public ones are called by browsers (the widget
  # with a session token, the console with an operator token); private ones only by identities
  # granted run.invoker (Cloud Scheduler).
  # post_message streams model answers, seconds each, but holds a database connection only for
  # the few milliseconds of each statement (none while the model writes): its instances take
  # var.concurrency requests with a pool of var.db_pool_size. The other functions answer in
  # milliseconds, or rarely: one instance and one connection each, but the console's API two (a
  # knowledge-base check or save embeds inside its transaction, which must not stall the others).
  functions = {
    create_session        = { public = true, instances = 1, pool = 1 }
    post_message          = { public = true, instances = var.max_instances, pool = var.db_pool_size }
    get_messages          = { public = true, instances = 1, pool = 1 }
    summarize_session     = { public = true, instances = 1, pool = 1 }
    delete_session        = { public = true, instances = 1, pool = 1 }
    post_feedback         = { public = true, instances = 1, pool = 1 }
    post_contact          = { public = true, instances = 1, pool = 1 }
    post_csat             = { public = true, instances = 1, pool = 1 }
    export_my_data        = { public = true, instances = 1, pool = 1 }
    erase_my_data         = { public = true, instances = 1, pool = 1 }
    identify              = { public = true, instances = 1, pool = 1 }
    get_conversations     = { public = true, instances = 1, pool = 1 }
    resume_session        = { public = true, instances = 1, pool = 1 }
    confirm_action        = { public = true, instances = 1, pool = 1 }
    operator_api          = { public = true, instances = 1, pool = 2 }
    purge_expired         = { public = false, instances = 1, pool = 1 }
    deliver_notifications = { public = false, instances = 1, pool = 1 }
    # The help center's hourly re-sync: one connection holds the lock that keeps two syncs apart,
    # the other saves each document's passages.
    sync_knowledge = { public = false, instances = 1, pool = 2 }
    # Migrations and the knowledge-base import, with this archive's encoders (infra/prepare.tf):
    # one connection holds the lock that keeps two runs apart, the other does the work.
    prepare_deployment = { public = false, instances = 1, pool = 2 }
  }

  environment = {
    ENVIRONMENT               = "production"
    INSTANCE_CONNECTION_NAME  = google_sql_database_instance.main.connection_name
    DB_USER                   = google_sql_user.functions.name
    DB_NAME                   = google_sql_database.support.name
    DB_IAM_AUTH               = "true"
    THREADS                   = tostring(var.concurrency)
    DB_MAX_OVERFLOW           = "0"
    ALLOWED_ORIGINS           = join(",", var.allowed_origins) # the shop's own origins, nothing shared
    GOOGLE_CLOUD_PROJECT      = var.project_id
    GOOGLE_GENAI_USE_VERTEXAI = var.gemini_backend == "vertex" ? "true" : "false"
    GOOGLE_CLOUD_LOCATION     = var.vertex_location
    GEMINI_MODEL              = var.gemini_model
    ANSWER_PROVIDER           = var.answer_provider
    OPENAI_BASE_URL           = var.openai_base_url
    OPENAI_MODEL              = var.openai_model
    COMPANY_NAME              = var.company_name
    BOT_NAME                  = var.bot_name
    SUPPORT_TIME_ZONE         = var.support_time_zone
    SUPPORT_WEEKLY_HOURS      = var.support_weekly_hours
    SUPPORT_CLOSED_DATES      = var.support_closed_dates
    RETENTION_DAYS            = tostring(var.retention_days)
    KNOWLEDGE_SOURCES         = var.knowledge_sources
    KNOWLEDGE_SYNC_HOURS      = tostring(var.knowledge_sync_hours)
    # operator_api serves the console at its own run.app origin (hosting.tf) and answers it there;
    # operators sign in with Google.
    CONSOLE_ORIGINS         = join(",", distinct(concat([local.console_url], var.console_origins)))
    GOOGLE_OAUTH_CLIENT_ID  = var.google_oauth_client_id
    GOOGLE_WORKSPACE_DOMAIN = var.google_workspace_domain
    CONSOLE_URL             = local.console_url
    # Google's front end appends the caller's address to X-Forwarded-For; nothing else is believed.
    TRUSTED_PROXY_HOPS = tostring(var.trusted_proxy_hops)
    # purge_expired checks Cloud Scheduler's OIDC token in code too, on top of IAM.
    SCHEDULER_AUDIENCE        = join(",", [local.purge_audience, local.deliver_audience, local.prepare_audience, local.sync_audience])
    SCHEDULER_SERVICE_ACCOUNT = google_service_account.scheduler.email
  }

  # Not settings: read by numpy's BLAS when it loads, which in some import paths comes before the
  # encoders could set them. One thread, so an encoder pass does not spin against Postgres and the
  # request's other threads on the function's CPU.
  runtime_environment = { OPENBLAS_NUM_THREADS = "1", OMP_NUM_THREADS = "1" }

  # The URL Cloud Functions gives purge_expired, known before it exists (no dependency cycle).
  purge_audience   = "https://${var.region}-${var.project_id}.cloudfunctions.net/purge_expired"
  deliver_audience = "https://${var.region}-${var.project_id}.cloudfunctions.net/deliver_notifications"
  prepare_audience = "https://${var.region}-${var.project_id}.cloudfunctions.net/prepare_deployment"
  sync_audience    = "https://${var.region}-${var.project_id}.cloudfunctions.net/sync_knowledge"

  # Longer than a request's timeout: the migrations and imports after a deploy, and the re-sync,
  # which fetches pages and embeds their passages (Cloud Scheduler waits 30 minutes at most for an
  # HTTP target; a gen2 HTTP function may run up to 60).
  long_timeouts = { prepare_deployment = 900, sync_knowledge = 1800 }

  # Every instance of every function may hold its whole pool at once (no overflow).
  connections_needed = sum([for fn in values(local.deployed_functions) : fn.instances * fn.pool])

  # The known customers' functions only refuse without an identity configuration: deployed with one.
  deployed_functions = {
    for name, fn in local.functions : name => fn if local.identity_enabled || !contains(local.identity_functions, name)
  }
}

resource "google_storage_bucket" "source" {
  # checkov:skip=CKV_GCP_62: Holds only deploy archives, read by Cloud Build; Cloud Audit Logs record access.
  name                        = "${var.project_id}-${var.name_prefix}-source"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      age = 90
    }
    action {
      type = "Delete"
    }
  }
}

# Named after the archive's hash, so any code change uploads a new object and redeploys.
resource "google_storage_bucket_object" "source" {
  name   = "function-source-${fileexists(local.source_archive) ? filemd5(local.source_archive) : "missing"}.zip"
  bucket = google_storage_bucket.source.name
  source = local.source_archive

  lifecycle {
    precondition {
      condition     = fileexists(local.source_archive)
      error_message = "Build the deploy archive first: ./dev package (it writes build/function-source.zip)."
    }
  }
}

resource "google_cloudfunctions2_function" "fn" {
  # checkov:skip=CKV_GCP_124: Widget-facing functions take requests from visitors' browsers anywhere; the private ones admit only their IAM invokers (see ingress_settings).
  for_each = local.deployed_functions
  # Named as the entry point, so every URL is <base>/<entry point>, as in the local run.
  name     = each.key
  location = var.region

  build_config {
    runtime         = var.python_runtime
    entry_point     = each.key
    service_account = google_service_account.build.id

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    available_memory                 = var.function_memory
    available_cpu                    = var.function_cpu
    timeout_seconds                  = lookup(local.long_timeouts, each.key, var.function_timeout_seconds)
    min_instance_count               = var.min_instances
    max_instance_count               = each.value.instances
    max_instance_request_concurrency = var.concurrency
    service_account_email            = each.key == "prepare_deployment" ? google_service_account.prepare.email : google_service_account.functions.email
    # Every function admits requests from anywhere, the private ones only with an OIDC token of an
    # identity holding run.invoker (and their code checks it again). "Internal only" would refuse
    # Cloud Scheduler here: Cloud Run counts Scheduler's requests as internal only when they use the
    # run.app URL, not the cloudfunctions.net one these jobs call (cloud.google.com/run/docs/securing/ingress),
    # and Terraform calls prepare_deployment from the deployer's machine.
    ingress_settings               = "ALLOW_ALL"
    all_traffic_on_latest_revision = true
    environment_variables          = merge(local.environment, local.runtime_environment, local.email_environment, local.identity_environment, local.actions_environment, var.action_environment, { DB_POOL_SIZE = tostring(each.value.pool) }, { for k, v in local.prepare_environment : k => v if each.key == "prepare_deployment" })

    dynamic "secret_environment_variables" {
      for_each = google_secret_manager_secret.gemini_api_key
      content {
        key        = "GOOGLE_API_KEY"
        project_id = var.project_id
        secret     = secret_environment_variables.value.secret_id
        version    = "latest"
      }
    }

    dynamic "secret_environment_variables" {
      for_each = google_secret_manager_secret.function
      content {
        key        = secret_environment_variables.key
        project_id = var.project_id
        secret     = secret_environment_variables.value.secret_id
        version    = "latest"
      }
    }
  }

  lifecycle {
    precondition {
      condition     = !(var.answer_provider == "gemini" && var.gemini_backend == "none")
      error_message = "answer_provider = \"gemini\" needs a gemini_backend (vertex or developer_api), not none."
    }
    precondition {
      condition     = local.connections_needed <= var.database_max_connections - 5
      error_message = "The functions' pools (instances x pool size, summed over the functions) exceed the database's connection budget (max_connections minus 5 for maintenance): lower max_instances or db_pool_size, or raise database_max_connections with a larger tier."
    }
    precondition {
      # Cloud Run serves more than one request at a time only with a whole vCPU or more.
      condition     = var.concurrency == 1 || tonumber(var.function_cpu) >= 1
      error_message = "concurrency above 1 needs function_cpu of 1 or more."
    }
    precondition {
      condition     = !(var.identity_signing_secret && var.identity_jwks_url != "")
      error_message = "Verify identity tokens with identity_signing_secret or identity_jwks_url, not both."
    }
    precondition {
      condition     = var.db_pool_size <= var.concurrency
      error_message = "db_pool_size above concurrency opens connections no request can use."
    }
  }

  depends_on = [
    google_project_iam_member.build,
    google_storage_bucket_iam_member.build_reads_source,
    google_secret_manager_secret_iam_member.functions_read_key,
    google_secret_manager_secret_iam_member.functions_read_secret,
    google_secret_manager_secret_iam_member.prepare_reads_key,
    google_secret_manager_secret_iam_member.prepare_reads_secret,
    google_project_iam_member.prepare,
  ]
}

# The widget calls these from any visitor's browser; each checks the session token itself.
resource "google_cloud_run_v2_service_iam_member" "public" {
  for_each = { for name, fn in local.deployed_functions : name => fn if fn.public }
  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.fn[each.key].service_config[0].service
  role     = "roles/run.invoker"
  member   = "allUsers"
}
