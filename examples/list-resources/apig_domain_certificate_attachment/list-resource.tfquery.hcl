# Every certificate bound to a domain of the API group demo_group, one result per binding.
list "apig_domain_certificate_attachment" "demo_group" {
  provider = apig

  config {
    instance_id = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"
    group_id    = "7d1e2f3a4b5c4d6e8f9a0b1c2d3e4f50"
  }
}
