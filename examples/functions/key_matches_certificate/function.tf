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
  description = "Unencrypted PEM private key that should belong to the certificate."
  type        = string
  sensitive   = true
}

resource "apig_certificate" "api" {
  name                   = "api_example_com"
  content                = var.certificate_pem
  private_key_wo         = var.private_key_pem
  private_key_wo_version = 1

  lifecycle {
    # Stops the plan with a clear message when the key and the certificate were mixed up.
    precondition {
      condition     = provider::apig::key_matches_certificate(var.certificate_pem, var.private_key_pem)
      error_message = "private_key_pem is not the key of the certificate in certificate_pem."
    }
  }
}
