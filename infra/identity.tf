# Known customers (shared/auth/identity.py): the shop's backend signs a short-lived JWT for its
# signed-in customer, and the widget passes it on. Either a shared secret (HS256), which lives in
# Secret Manager as <name_prefix>-identity-signing-secret (secrets.tf); add it once:
#   openssl rand -base64 48 | tr -d '\n' | gcloud secrets versions add <name_prefix>-identity-signing-secret --data-file=-
# or the URL where the shop publishes its public keys (RS256/ES256). Neither: identity tokens are
# refused, every conversation is anonymous, and identify, get_conversations and resume_session
# are not deployed. With them, three more connections are needed: on db-f1-micro (25) with the
# other defaults, set db_pool_size = 2.

variable "identity_signing_secret" {
  description = "Verify identity tokens with an HS256 secret kept in Secret Manager (not with identity_jwks_url)"
  type        = bool
  default     = false
}

variable "identity_jwks_url" {
  description = "The shop's published keys (JWKS, https) for RS256/ES256 identity tokens; empty: none"
  type        = string
  default     = ""

  validation {
    condition     = var.identity_jwks_url == "" || startswith(var.identity_jwks_url, "https://")
    error_message = "identity_jwks_url must be an https:// URL."
  }
}

variable "identity_audience" {
  description = "The aud identity tokens must carry; empty: tokens carrying an aud are refused"
  type        = string
  default     = ""
}

variable "identity_issuer" {
  description = "The iss identity tokens must carry; empty: tokens carrying an iss are refused"
  type        = string
  default     = ""
}

variable "identity_max_token_minutes" {
  description = "How far ahead an identity token may expire"
  type        = number
  default     = 60
}

locals {
  identity_enabled   = var.identity_signing_secret || var.identity_jwks_url != ""
  identity_functions = ["identify", "get_conversations", "resume_session"]
  # Only the settings in use: an empty IDENTITY_AUDIENCE would be read as an audience of "".
  identity_environment = merge(
    var.identity_jwks_url == "" ? {} : { IDENTITY_JWKS_URL = var.identity_jwks_url },
    var.identity_audience == "" ? {} : { IDENTITY_AUDIENCE = var.identity_audience },
    var.identity_issuer == "" ? {} : { IDENTITY_ISSUER = var.identity_issuer },
    { IDENTITY_MAX_TOKEN_MINUTES = tostring(var.identity_max_token_minutes) },
  )
}
