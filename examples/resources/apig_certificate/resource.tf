terraform {
  required_providers {
    apig = {
      source = "hwapig/apig"
    }
  }
}

variable "certificate_pem" {
  description = "PEM chain for api.example.com: the server certificate first, then intermediates."
  type        = string
}

variable "private_key_pem" {
  description = "Unencrypted PEM private key of the certificate."
  type        = string
  sensitive   = true
}

variable "client_ca_pem" {
  description = "PEM bundle of the CAs that sign client certificates (mutual TLS)."
  type        = string
}

# A global certificate, usable by every gateway. The key is write-only (Terraform 1.11 or later):
# it is sent to the API but never stored in state or shown in a plan.
resource "apig_certificate" "api" {
  name                   = "api_example_com"
  content                = var.certificate_pem
  private_key_wo         = var.private_key_pem
  private_key_wo_version = 1 # increment whenever the key or certificate is rotated
}

# A certificate of one gateway that verifies client certificates against a trusted root CA.
# private_key keeps the key in state (marked sensitive); prefer private_key_wo where possible.
resource "apig_certificate" "mtls" {
  name            = "mtls_example_com"
  type            = "instance"
  instance_id     = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"
  content         = var.certificate_pem
  private_key     = var.private_key_pem
  trusted_root_ca = var.client_ca_pem
  algorithm_type  = "RSA"

  timeouts {
    create = "10m"
    delete = "10m"
  }
}

output "api_certificate_expires" {
  value = apig_certificate.api.not_after
}
