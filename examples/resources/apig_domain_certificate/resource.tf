terraform {
  required_providers {
    apig = {
      source = "hwapig/apig"
    }
  }
}

variable "certificate_pem" {
  description = "PEM chain for shop.example.org: the server certificate first, then intermediates."
  type        = string
}

variable "private_key_pem" {
  description = "Unencrypted PEM private key of the certificate."
  type        = string
  sensitive   = true
}

# Creates a certificate directly on the domain shop.example.org of the API group demo_group.
# The API cannot update such a certificate: any change replaces it.
resource "apig_domain_certificate" "shop" {
  instance_id            = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"
  group_id               = "7d1e2f3a4b5c4d6e8f9a0b1c2d3e4f50"
  domain_id              = "d0000000000000000000000000000003"
  name                   = "shop_example_org"
  content                = var.certificate_pem
  private_key_wo         = var.private_key_pem
  private_key_wo_version = 1 # increment to rotate the key (replaces the certificate)
}

output "shop_certificate_id" {
  value = apig_domain_certificate.shop.certificate_id
}
