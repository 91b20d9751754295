# Actions on the shop's own API (shared/actions/; README, "Known customers and actions"): the
# actions file ships in the deployed source beside knowledge_base.json (edit actions.json, then
# ./dev package). ${NAME} in an action's URL or headers is read from the functions' environment:
# plain values from action_environment (the shop's API base URL, say), secrets from Secret Manager
# for the names in action_secrets (a token: secret <name_prefix>-action-<name in lower case with
# dashes>; add its value once the first apply created it, e.g.
#   printf %s "$TOKEN" | gcloud secrets versions add <name_prefix>-action-shop-api-token --data-file=-
# ). No allowed host: no action is ever called.

variable "actions_path" {
  description = "The actions file, relative to the deployed source's root"
  type        = string
  default     = "actions.json"
}

variable "actions_allowed_hosts" {
  description = "Hosts (or host:port) the actions may call, over https"
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for host in var.actions_allowed_hosts : can(regex("^[a-z0-9.-]+(:[0-9]+)?$", host))])
    error_message = "actions_allowed_hosts: host names (or host:port), lower case, no scheme, no wildcard."
  }
}

variable "action_environment" {
  description = "Values the actions file names as $${NAME}, not secret (e.g. SHOP_API_BASE = \"https://shop.example\")"
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for name in keys(var.action_environment) : can(regex("^[A-Z][A-Z0-9_]*$", name))])
    error_message = "action_environment: names in upper case, digits and _."
  }
}

variable "action_secrets" {
  description = "Names the actions file reads as $${NAME} from Secret Manager (e.g. SHOP_API_TOKEN)"
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for name in var.action_secrets : can(regex("^[A-Z][A-Z0-9_]*$", name))])
    error_message = "action_secrets: names in upper case, digits and _."
  }
}

variable "action_timeout_seconds" {
  description = "How long a call to the shop may take before the bot says it could not reach it"
  type        = number
  default     = 5
}

locals {
  actions_environment = merge(
    { ACTIONS_PATH = var.actions_path, ACTION_TIMEOUT_SECONDS = tostring(var.action_timeout_seconds) },
    length(var.actions_allowed_hosts) == 0 ? {} : { ACTIONS_ALLOWED_HOSTS = join(",", var.actions_allowed_hosts) },
  )
  action_secrets = { for name in var.action_secrets : name => "action-${lower(replace(name, "_", "-"))}" }
}
