# Calls modules/https-domain: upload a certificate (its key write-only, never in state) and bind
# it to two domains. Against the bundled simulator:
#
#   TF_VAR_apig_endpoint=http://127.0.0.1:PORT TF_VAR_auth_token=sim-token \
#   TF_VAR_certificate_file=api.crt TF_VAR_private_key_file=api.key terraform apply
#
# The IDs below are the simulator's default fixture; use your gateway's on the real service.

terraform {
  required_version = ">= 1.11"

  required_providers {
    apig = {
      source = "hwapig/apig"
    }
  }
}

variable "region" {
  description = "Region of the service."
  type        = string
  default     = "cn-north-4"
}

variable "project_id" {
  description = "Project ID in that region."
  type        = string
  default     = "0123456789abcdef0123456789abcdef"
}

variable "auth_token" {
  description = "IAM token sent as X-Auth-Token (ephemeral: kept out of saved plans)."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "apig_endpoint" {
  description = "Base URL replacing the APIG endpoint, e.g. a simulator's address; null for the region's endpoint."
  type        = string
  default     = null
}

variable "instance_id" {
  description = "Gateway on which to bind the domains."
  type        = string
  default     = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"
}

variable "certificate_file" {
  description = "Path of the PEM certificate chain (leaf first) whose SANs cover api.example.com and www.example.com."
  type        = string
}

variable "private_key_file" {
  description = "Path of the certificate's unencrypted PEM private key."
  type        = string
}

variable "key_version" {
  description = "Increase after replacing the certificate and key files, to upload them."
  type        = number
  default     = 1
}

provider "apig" {
  region     = var.region
  project_id = var.project_id
  auth_token = var.auth_token
  endpoints  = var.apig_endpoint == null ? null : { apig = var.apig_endpoint }
}

module "api_tls" {
  source = "../../modules/https-domain"

  name                = "api_example_com"
  certificate_pem     = file(var.certificate_file)
  private_key         = file(var.private_key_file)
  private_key_version = var.key_version

  domains = {
    "api.example.com" = { instance_ids = [var.instance_id] }
    "www.example.com" = {}
  }
}

output "certificate_id" {
  description = "ID of the uploaded certificate."
  value       = module.api_tls.certificate_id
}

output "not_after" {
  description = "When the certificate expires."
  value       = module.api_tls.not_after
}

output "domains" {
  description = "Domains bound to the certificate."
  value       = module.api_tls.domains
}
