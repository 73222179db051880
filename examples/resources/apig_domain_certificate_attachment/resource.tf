terraform {
  required_providers {
    apig = {
      source = "hwapig/apig"
    }
  }
}

variable "certificate_pem" {
  description = "PEM chain covering www.example.com, server certificate first."
  type        = string
}

variable "private_key_pem" {
  description = "Unencrypted PEM private key of the certificate."
  type        = string
  sensitive   = true
}

resource "apig_certificate" "www" {
  name                   = "www_example_com"
  content                = var.certificate_pem
  private_key_wo         = var.private_key_pem
  private_key_wo_version = 1
}

# Binds the certificate to the domain www.example.com of the API group demo_group.
resource "apig_domain_certificate_attachment" "www" {
  instance_id    = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"
  group_id       = "7d1e2f3a4b5c4d6e8f9a0b1c2d3e4f50"
  domain_id      = "d0000000000000000000000000000002"
  certificate_id = apig_certificate.www.id
}
