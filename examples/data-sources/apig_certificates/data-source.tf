terraform {
  required_providers {
    apig = {
      source = "hwapig/apig"
    }
  }
}

# Every certificate the gateway can use: its own and the global ones.
data "apig_certificates" "all" {
  instance_id = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"
}

# Only the global ECC certificates.
data "apig_certificates" "global_ecc" {
  instance_id    = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"
  type           = "global"
  algorithm_type = "ECC"
}

output "certificate_expiry_by_name" {
  value = { for c in data.apig_certificates.all.certificates : c.name => c.not_after }
}
