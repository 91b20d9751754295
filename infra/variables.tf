variable "project_id" {
  description = "Google Cloud project that hosts the bot."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a Google Cloud project id (6-30 lowercase letters, digits, hyphens)."
  }
}

variable "region" {
  description = "Region for the functions, the database and the buckets."
  type        = string
  default     = "europe-west1"
}

variable "name_prefix" {
  description = "Prefix of resource names other than the functions (which are named as their entry points)."
  type        = string
  default     = "support"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}$", var.name_prefix))
    error_message = "name_prefix must be 2-15 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "allowed_origins" {
  description = "Exact origins (scheme://host[:port]) of the shop's websites that embed the widget; the customer functions answer browsers there only."
  type        = list(string)

  validation {
    condition     = alltrue([for o in var.allowed_origins : can(regex("^https?://[^/*]+$", o))])
    error_message = "Each origin is scheme://host[:port], without a path or a wildcard."
  }

  validation {
    # A host whose one origin anyone can publish a page on (every public bucket, every project's
    # functions, every Firebase or GitHub site): a page there could call the functions as this one.
    condition     = alltrue([for o in var.allowed_origins : !can(regex("[./](storage\\.googleapis\\.com|storage\\.cloud\\.google\\.com|cloudfunctions\\.net|appspot\\.com|firebaseapp\\.com|web\\.app|github\\.io|githubusercontent\\.com|netlify\\.app|vercel\\.app|pages\\.dev|herokuapp\\.com)(:[0-9]+)?$", o))])
    error_message = "Use your own origins: shared hosts (storage.googleapis.com, cloudfunctions.net, appspot.com, web.app, github.io, ...) are refused."
  }
}

# --- Functions ------------------------------------------------------------------------------

variable "python_runtime" {
  description = "Cloud Functions runtime."
  type        = string
  default     = "python312"

  validation {
    condition     = contains(["python311", "python312", "python313"], var.python_runtime)
    error_message = "Use python311, python312 or python313."
  }
}

variable "function_memory" {
  description = "Memory of each function instance."
  type        = string
  default     = "512Mi"
}

variable "function_cpu" {
  description = "vCPUs of each function instance (1 or more when concurrency is above 1)."
  type        = string
  default     = "1"
}

variable "function_timeout_seconds" {
  description = "Request timeout; must cover a streamed answer."
  type        = number
  default     = 120

  validation {
    condition     = var.function_timeout_seconds >= 30 && var.function_timeout_seconds <= 3600
    error_message = "Between 30 and 3600 seconds."
  }
}

variable "min_instances" {
  description = "Instances kept warm per function. 0 keeps the bot pay-per-request (a cold start of about half a second)."
  type        = number
  default     = 0
}

variable "max_instances" {
  description = "Upper bound of post_message's instances (the other functions run one each); with db_pool_size it bounds database connections."
  type        = number
  default     = 2

  validation {
    condition     = var.max_instances >= 1 && var.max_instances <= 100
    error_message = "Between 1 and 100."
  }
}

variable "concurrency" {
  description = "Requests one instance serves at once (THREADS follows it); 2 instances x 20 hold 40 streamed answers."
  type        = number
  default     = 20

  validation {
    condition     = var.concurrency >= 1 && var.concurrency <= 80
    error_message = "Between 1 and 80."
  }
}

variable "db_pool_size" {
  description = "Database connections each post_message instance keeps; no connection is held while a model writes, so far fewer than concurrency."
  type        = number
  default     = 3

  validation {
    condition     = var.db_pool_size >= 1
    error_message = "At least 1."
  }
}

# --- Database -------------------------------------------------------------------------------

variable "database_version" {
  description = "Cloud SQL PostgreSQL major version."
  type        = string
  default     = "POSTGRES_17"

  validation {
    condition     = contains(["POSTGRES_16", "POSTGRES_17"], var.database_version)
    error_message = "POSTGRES_16 or POSTGRES_17."
  }
}

variable "database_tier" {
  description = "Cloud SQL machine tier (shared-core db-f1-micro suits a small shop)."
  type        = string
  default     = "db-f1-micro"
}

variable "database_max_connections" {
  description = "The instance's max_connections (db-f1-micro's own default is 25); functions must stay below it."
  type        = number
  default     = 29
}

variable "deletion_protection" {
  description = "Protect the database instance from terraform destroy."
  type        = bool
  default     = true
}

variable "retention_days" {
  description = "Sessions idle for longer are erased daily by purge_expired."
  type        = number
  default     = 30

  validation {
    condition     = var.retention_days >= 1
    error_message = "At least one day."
  }
}

variable "knowledge_sources" {
  description = "The help center to answer from, comma-separated: sitemap or page URLs (KNOWLEDGE_SOURCES); empty for none."
  type        = string
  default     = ""
}

variable "knowledge_sync_hours" {
  description = "sync_knowledge, run hourly, re-syncs a source once it was last synced this many hours ago."
  type        = number
  default     = 24

  validation {
    condition     = var.knowledge_sync_hours >= 1 && var.knowledge_sync_hours <= 720
    error_message = "Between 1 and 720 hours (the scheduler runs hourly; the setting allows 30 days)."
  }
}

variable "purge_schedule" {
  description = "Cron schedule of purge_expired (Cloud Scheduler syntax)."
  type        = string
  default     = "30 3 * * *"
}

variable "time_zone" {
  description = "Time zone of the purge schedule."
  type        = string
  default     = "Etc/UTC"
}

# --- Gemini ---------------------------------------------------------------------------------

variable "gemini_backend" {
  description = "How the functions reach Gemini: vertex (service account, no key), developer_api (key in Secret Manager) or none (offline answers)."
  type        = string
  default     = "vertex"

  validation {
    condition     = contains(["vertex", "developer_api", "none"], var.gemini_backend)
    error_message = "vertex, developer_api or none."
  }
}

variable "gemini_model" {
  description = "Gemini model answering customers."
  type        = string
  default     = "gemini-3.5-flash"
}

variable "vertex_location" {
  description = "Vertex AI location for Gemini calls."
  type        = string
  default     = "global"
}

# --- Answer provider ------------------------------------------------------------------------

variable "answer_provider" {
  description = "Who writes the answers: auto (Gemini, or offline with gemini_backend = \"none\"), offline (quotes the knowledge base, no model), gemini, or openai (any OpenAI-compatible server at openai_base_url)."
  type        = string
  default     = "auto"

  validation {
    condition     = contains(["auto", "offline", "gemini", "openai"], var.answer_provider)
    error_message = "auto, offline, gemini or openai."
  }
}

variable "openai_base_url" {
  description = "With answer_provider = \"openai\": the server's base URL, OpenAI's or a self-hosted Ollama, vLLM or llama.cpp server reachable from the functions (e.g. https://llm.my-shop.example/v1)."
  type        = string
  default     = "https://api.openai.com/v1"

  validation {
    # Customer messages travel to it over the internet: TLS only.
    condition     = can(regex("^https://[^\\s]+$", var.openai_base_url))
    error_message = "openai_base_url must be an https:// URL."
  }
}

variable "openai_model" {
  description = "With answer_provider = \"openai\": the model the server answers with (e.g. gpt-4o-mini, or llama3.1:8b on Ollama)."
  type        = string
  default     = "gpt-4o-mini"
}

variable "openai_needs_api_key" {
  description = "With answer_provider = \"openai\": the server wants an API key, which you add to Secret Manager (<name_prefix>-openai-api-key). false for a server that asks for none."
  type        = bool
  default     = true
}

# --- The bot --------------------------------------------------------------------------------

variable "company_name" {
  description = "Company name the bot speaks for."
  type        = string
  default     = "InnovateTech"
}

variable "bot_name" {
  description = "Name the bot introduces itself with."
  type        = string
  default     = "Ivy"
}

variable "support_time_zone" {
  description = "IANA time zone of the support team's hours."
  type        = string
  default     = "America/New_York"
}

variable "support_weekly_hours" {
  description = "When people answer, e.g. \"mon-fri 09:00-18:00; sat 10:00-14:00\"; handover replies tell customers the truth from it."
  type        = string
  default     = "mon-fri 09:00-18:00"
}

variable "support_closed_dates" {
  description = "Days the team is away, e.g. \"2026-12-25, 2027-01-01\"."
  type        = string
  default     = ""
}

variable "trusted_proxy_hops" {
  description = "Proxies in front of the functions that append to X-Forwarded-For: 1 for Google's front end alone, 2 behind an external HTTPS load balancer."
  type        = number
  default     = 1

  validation {
    condition     = var.trusted_proxy_hops >= 0 && var.trusted_proxy_hops <= 10
    error_message = "trusted_proxy_hops must be between 0 and 10."
  }
}

variable "console_origins" {
  description = "Extra origins allowed to call operator_api from a browser, besides its own (where it serves the console)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for o in var.console_origins : can(regex("^https://[^/*]+$", o))])
    error_message = "Each origin is https://host[:port], without a path or a wildcard."
  }

  validation {
    # A host whose one origin anyone can publish a page on (every public bucket, every project's
    # functions, every Firebase or GitHub site): a page there could call the functions as this one.
    condition     = alltrue([for o in var.console_origins : !can(regex("[./](storage\\.googleapis\\.com|storage\\.cloud\\.google\\.com|cloudfunctions\\.net|appspot\\.com|firebaseapp\\.com|web\\.app|github\\.io|githubusercontent\\.com|netlify\\.app|vercel\\.app|pages\\.dev|herokuapp\\.com)(:[0-9]+)?$", o))])
    error_message = "Use your own origins: shared hosts (storage.googleapis.com, cloudfunctions.net, appspot.com, web.app, github.io, ...) are refused."
  }
}

variable "google_oauth_client_id" {
  description = "OAuth client id (Web application) of the console for Google sign-in; empty: operators cannot sign in."
  type        = string
  default     = ""
}

variable "google_workspace_domain" {
  description = "Only Google accounts of this Workspace domain may sign in to the console; empty: any account that is an operator."
  type        = string
  default     = ""
}

variable "notify_slack" {
  description = "Post handovers to a Slack incoming webhook whose URL you add to Secret Manager (<name_prefix>-slack-webhook-url)."
  type        = bool
  default     = false
}

variable "notify_webhook" {
  description = "Post handovers, HMAC-signed, to a webhook whose URL and secret you add to Secret Manager."
  type        = bool
  default     = false
}
