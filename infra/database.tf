resource "google_sql_database_instance" "main" {
  # checkov:skip=CKV_GCP_79: The deployment targets PostgreSQL 16 or 17 (a variable); move to a newer major with a tested upgrade, not automatically.
  name                = "${var.name_prefix}-db"
  database_version    = var.database_version
  region              = var.region
  deletion_protection = var.deletion_protection

  settings {
    # Shared-core tiers exist only in the Enterprise edition (Postgres 16+ defaults to Enterprise Plus).
    edition           = "ENTERPRISE"
    tier              = var.database_tier
    availability_type = "ZONAL"
    disk_autoresize   = true

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
      start_time                     = "02:00"
      transaction_log_retention_days = 7

      backup_retention_settings {
        retained_backups = 14
      }
    }

    # checkov:skip=CKV_GCP_60: The public IP has no authorized networks: only the Cloud SQL connectors, with IAM and mutual TLS, can reach it. A private IP would need an always-on VPC connector.
    ip_configuration {
      ipv4_enabled = true
      ssl_mode     = "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
    }

    database_flags {
      name  = "cloudsql.iam_authentication"
      value = "on"
    }
    database_flags {
      name  = "max_connections"
      value = tostring(var.database_max_connections)
    }
    database_flags {
      name  = "log_checkpoints"
      value = "on"
    }
    database_flags {
      name  = "log_connections"
      value = "on"
    }
    database_flags {
      name  = "log_disconnections"
      value = "on"
    }
    database_flags {
      name  = "log_lock_waits"
      value = "on"
    }
    database_flags {
      name  = "log_min_messages"
      value = "error"
    }
    database_flags {
      name  = "log_min_error_statement"
      value = "error"
    }
    database_flags {
      name  = "log_hostname"
      value = "on"
    }
    database_flags {
      name  = "log_duration"
      value = "on"
    }
    database_flags {
      # DDL only: logging data statements would write customers' messages (bound parameters) to the logs.
      name  = "log_statement"
      value = "ddl"
    }
    database_flags {
      name  = "log_temp_files"
      value = "0"
    }
    database_flags {
      # Statements are never logged with their parameters: they carry what customers typed.
      name  = "log_min_duration_statement"
      value = "-1"
    }
    database_flags {
      name  = "cloudsql.enable_pgaudit"
      value = "on"
    }
    database_flags {
      name  = "pgaudit.log"
      value = "ddl,role"
    }

    insights_config {
      query_insights_enabled  = true
      record_application_tags = false
      record_client_address   = false
    }

    maintenance_window {
      day  = 7
      hour = 3
    }
  }

  depends_on = [google_project_service.enabled]
}

resource "google_sql_database" "support" {
  name     = "support"
  instance = google_sql_database_instance.main.name
}

# The functions' service account logs in as this IAM database user: no password anywhere.
resource "google_sql_user" "functions" {
  name     = trimsuffix(google_service_account.functions.email, ".gserviceaccount.com")
  instance = google_sql_database_instance.main.name
  type     = "CLOUD_IAM_SERVICE_ACCOUNT"
}
