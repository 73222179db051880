terraform {
  required_providers {
    apig = {
      source = "hwapig/apig"
    }
  }
}

variable "certificate_pem" {
  description = "PEM chain covering api.example.com and www.example.com, server certificate first."
  type        = string
}

variable "private_key_pem" {
  description = "Unencrypted PEM private key of the certificate."
  type        = string
  sensitive   = true
}

resource "apig_certificate" "example" {
  name                   = "example_com"
  content                = var.certificate_pem
  private_key_wo         = var.private_key_pem
  private_key_wo_version = 1
}

# Binds two domains to the certificate. Only these bindings are managed: domains bound to the
# same certificate elsewhere (another resource, the console) are left alone.
resource "apig_certificate_domains" "example" {
  certificate_id = apig_certificate.example.id

  # Bound on one gateway only.
  domain {
    name         = "api.example.com"
    instance_ids = ["5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"]
  }

  # Bound on every gateway the certificate can be used on.
  domain {
    name                                = "www.example.com"
    verified_client_certificate_enabled = false
  }
}
