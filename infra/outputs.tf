output "function_base_url" {
  description = "Base URL of every function: <base>/<function name>."
  value       = local.api_base
}

output "function_urls" {
  description = "URL of each function."
  value       = { for name, fn in google_cloudfunctions2_function.fn : name => fn.url }
}

output "widget_url" {
  description = "URL of the widget script."
  value       = local.widget_url
}

output "embed_snippet" {
  description = "Paste before </body> on your site."
  value       = "<script src=\"${local.widget_url}\" data-api-base=\"${local.api_base}\" defer></script>"
}

output "instance_connection_name" {
  description = "For migrations and knowledge-base syncs through the Cloud SQL connector."
  value       = google_sql_database_instance.main.connection_name
}

output "functions_database_user" {
  description = "The functions' IAM database user, to pass to `python -m shared.cli migrate --grant-to`."
  value       = google_sql_user.functions.name
}

output "functions_service_account" {
  description = "The identity the functions run as."
  value       = google_service_account.functions.email
}

output "console_url" {
  description = "The support team's console, served by operator_api at its own run.app origin: open it, and add it to the OAuth client's authorised JavaScript origins."
  value       = local.console_url
}
