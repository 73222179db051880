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

locals {
  certificate = provider::apig::certificate_info(var.certificate_pem)
}

# Warns (without failing the run) when the certificate expires within 30 days.
check "certificate_not_expiring" {
  assert {
    condition     = timecmp(local.certificate.not_after, timeadd(plantimestamp(), "720h")) > 0
    error_message = "The certificate for ${local.certificate.common_name} expires at ${local.certificate.not_after}."
  }
}

output "certificate" {
  value = {
    common_name = local.certificate.common_name
    sans        = local.certificate.sans
    not_after   = local.certificate.not_after
    chain       = local.certificate.chain_length
  }
}
