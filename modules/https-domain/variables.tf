variable "name" {
  description = "Name of the certificate in API Gateway: 4 to 50 characters, a letter first, then letters, digits or underscores (for example \"api_example_com\")."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z\\x{4e00}-\\x{9fa5}][a-zA-Z0-9_\\x{4e00}-\\x{9fa5}]{3,49}$", var.name))
    error_message = "The name must be 4 to 50 characters long: a letter first, then letters, digits or underscores (for example \"api_example_com\")."
  }
}

variable "certificate_pem" {
  description = "The certificate chain in PEM format, server (leaf) certificate first, then any intermediates; for example file(\"api.crt\"). Its SANs must cover every domain in var.domains."
  type        = string

  validation {
    condition     = strcontains(var.certificate_pem, "-----BEGIN CERTIFICATE-----")
    error_message = "certificate_pem must hold the PEM text itself (\"-----BEGIN CERTIFICATE-----...\"), for example file(\"api.crt\"), not a file name."
  }
}

variable "private_key" {
  description = "The unencrypted PEM private key of the certificate. Ephemeral and sensitive: it is sent to the API through the write-only private_key_wo argument and never stored in state or in a saved plan. Change private_key_version to upload a new key."
  type        = string
  sensitive   = true
  ephemeral   = true

  validation {
    condition     = can(regex("-----BEGIN [A-Z ]*PRIVATE KEY-----", var.private_key))
    error_message = "private_key must hold the PEM text of an unencrypted private key (\"-----BEGIN PRIVATE KEY-----...\"), for example file(\"api.key\"), not a file name."
  }
}

variable "private_key_version" {
  description = "Version of the certificate and key. Terraform cannot see a change of a write-only value, so increase this number whenever certificate_pem and private_key are rotated: the certificate is then updated in place and the new key uploaded."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.private_key_version >= 1 && floor(var.private_key_version) == var.private_key_version
    error_message = "private_key_version must be a whole number of at least 1; increase it to rotate the key."
  }
}

variable "domains" {
  description = "Domain names to bind to the certificate, keyed by name (each an independent domain of an API group). instance_ids names the gateways to bind on (left out: every gateway the certificate can be used on); verified_client_certificate_enabled turns on client certificate verification, which needs trusted_root_ca."
  type = map(object({
    instance_ids                        = optional(set(string))
    verified_client_certificate_enabled = optional(bool, false)
  }))

  validation {
    condition     = length(var.domains) > 0
    error_message = "domains must name at least one domain, for example { \"api.example.com\" = {} }."
  }

  validation {
    condition = alltrue([
      for domain in keys(var.domains) :
      length(domain) <= 255 && can(regex("^([a-zA-Z0-9]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?\\.){1,7}[a-zA-Z]{2,64}\\.?$|^[*](\\.[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?){1,6}\\.[a-zA-Z]{2,64}\\.?$", domain))
    ])
    error_message = "Every key of domains must be a domain name such as \"api.example.com\" or a wildcard such as \"*.example.com\": 2 to 8 labels of letters, digits, hyphens and underscores, the last one 2 to 64 letters."
  }

  validation {
    condition = alltrue(flatten([
      for settings in values(var.domains) : [
        for id in coalesce(settings.instance_ids, []) :
        can(regex("^[0-9a-f]{32}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", id))
      ]
    ]))
    error_message = "Every instance_ids entry must be a gateway ID: 32 lowercase hexadecimal characters or a lowercase UUID, as shown in the gateway's details in the console."
  }

  validation {
    condition     = var.trusted_root_ca != null || alltrue([for settings in values(var.domains) : !settings.verified_client_certificate_enabled])
    error_message = "verified_client_certificate_enabled = true needs a certificate with a trusted root CA: set trusted_root_ca (and instance_id), or turn the flag off."
  }
}

variable "service" {
  description = "Which service holds the certificate: \"apig\" (dedicated API Gateway) or \"roma\" (ROMA Connect). Null uses the provider's service setting. Changing it replaces the certificate."
  type        = string
  default     = null

  validation {
    condition     = var.service == null || contains(["apig", "roma"], coalesce(var.service, "apig"))
    error_message = "service must be \"apig\" or \"roma\" (or null for the provider's setting)."
  }
}

variable "instance_id" {
  description = "Gateway ID for an instance certificate, usable only on that gateway. Null (the default) makes a global certificate, usable by every gateway. Changing it replaces the certificate."
  type        = string
  default     = null

  validation {
    condition     = var.instance_id == null || can(regex("^[0-9a-f]{32}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", coalesce(var.instance_id, "-")))
    error_message = "instance_id must be a gateway ID: 32 lowercase hexadecimal characters or a lowercase UUID."
  }
}

variable "trusted_root_ca" {
  description = "PEM bundle of the CA certificates that client certificates are verified against (mutual TLS). Only for instance certificates, so it needs instance_id."
  type        = string
  default     = null

  validation {
    condition     = var.trusted_root_ca == null || var.instance_id != null
    error_message = "trusted_root_ca is accepted only for instance certificates: set instance_id too, or leave trusted_root_ca out."
  }
}

variable "expiry_warning_days" {
  description = "A plan or apply warns (through a check block) when the certificate expires within this many days. 0 turns the warning off."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.expiry_warning_days >= 0
    error_message = "expiry_warning_days must be 0 (no warning) or a positive number of days."
  }
}
