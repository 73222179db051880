output "certificate_id" {
  description = "ID of the certificate (32 hexadecimal characters)."
  value       = apig_certificate.this.id
}

output "not_after" {
  description = "End of the certificate's validity (RFC 3339, UTC)."
  value       = apig_certificate.this.not_after
}

output "sans" {
  description = "DNS subject alternative names of the server certificate."
  value       = apig_certificate.this.sans
}

output "domains" {
  description = "The domain names bound to the certificate by this module, sorted."
  value       = sort([for domain in apig_certificate_domains.this.domain : domain.name])
}
