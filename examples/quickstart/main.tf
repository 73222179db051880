# Quickstart: upload a certificate, bind it to two domains of an API group, read it back.
# `make demo` runs this against the bundled apig-simulator, whose default fixture has the
# instance, group and domains used below.

terraform {
  required_providers {
    apig = {
      source = "hwapig/apig"
    }
  }
}

variable "apig_endpoint" {
  description = "Base URL of the APIG endpoint (the simulator's address in the demo)."
  type        = string
}

variable "auth_token" {
  description = "IAM token for X-Auth-Token."
  type        = string
  sensitive   = true
}

variable "certificate_file" {
  description = "Path of the PEM certificate (leaf first, then intermediates)."
  type        = string
}

variable "private_key_file" {
  description = "Path of the PEM private key."
  type        = string
}

locals {
  instance_id = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"
  group_id    = "7d1e2f3a4b5c4d6e8f9a0b1c2d3e4f50"
  www_domain  = "d0000000000000000000000000000002"
}

provider "apig" {
  region     = "cn-north-4"
  project_id = "0123456789abcdef0123456789abcdef"
  auth_token = var.auth_token
  endpoints  = { apig = var.apig_endpoint }
}

resource "apig_certificate" "api" {
  name                   = "quickstart_api"
  content                = file(var.certificate_file)
  private_key_wo         = file(var.private_key_file)
  private_key_wo_version = 1
}

resource "apig_certificate_domains" "api" {
  certificate_id = apig_certificate.api.id

  domain {
    name         = "api.example.com"
    instance_ids = [local.instance_id]
  }
}

resource "apig_domain_certificate_attachment" "www" {
  instance_id    = local.instance_id
  group_id       = local.group_id
  domain_id      = local.www_domain
  certificate_id = apig_certificate.api.id
}

data "apig_certificate_attached_domains" "api" {
  certificate_id = apig_certificate.api.id
  depends_on     = [apig_certificate_domains.api, apig_domain_certificate_attachment.www]
}

output "certificate_id" {
  value = apig_certificate.api.id
}

output "expires" {
  value = provider::apig::certificate_info(file(var.certificate_file)).not_after
}

output "bound_domains" {
  value = sort(distinct([for d in data.apig_certificate_attached_domains.api.domains : d.url_domain]))
}
