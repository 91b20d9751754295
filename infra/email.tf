# Reply e-mails (shared/clients/mail.py): an agent's reply the customer has not read in the widget a minute
# after it was sent goes to the address they left, delivered by deliver_notifications with retries.
# With smtp_host empty nothing is e-mailed and the widget offers no e-mail. The password (when
# smtp_user is set) lives in Secret Manager as <name_prefix>-smtp-password (secrets.tf); add it once:
#   printf %s "$PASSWORD" | gcloud secrets versions add <name_prefix>-smtp-password --data-file=-

variable "smtp_host" {
  description = "SMTP server for reply e-mails; empty: no e-mail is sent, and none is promised"
  type        = string
  default     = ""
}

variable "smtp_port" {
  description = "SMTP port: 587 with STARTTLS, 465 with implicit TLS"
  type        = number
  default     = 587
}

variable "smtp_security" {
  description = "starttls or ssl (implicit TLS); a deployment never sends the password in the clear"
  type        = string
  default     = "starttls"

  validation {
    condition     = contains(["starttls", "ssl"], var.smtp_security)
    error_message = "smtp_security must be starttls or ssl."
  }
}

variable "smtp_user" {
  description = "SMTP login (empty: no login); its password comes from Secret Manager"
  type        = string
  default     = ""
}

variable "smtp_from" {
  description = "The sender of reply e-mails, e.g. support@my-shop.example"
  type        = string
  default     = ""
}

variable "support_page_url" {
  description = "The shop page with the chat widget, which reply e-mails link back to (https)"
  type        = string
  default     = ""

  validation {
    condition     = var.support_page_url == "" || startswith(var.support_page_url, "https://")
    error_message = "support_page_url must be an https:// URL."
  }
}

locals {
  email_environment = var.smtp_host == "" ? {} : {
    SMTP_HOST        = var.smtp_host
    SMTP_PORT        = tostring(var.smtp_port)
    SMTP_SECURITY    = var.smtp_security
    SMTP_USER        = var.smtp_user
    SMTP_FROM        = var.smtp_from
    SUPPORT_PAGE_URL = var.support_page_url
  }
}
