# Every certificate the gateway can use: its own (instance) certificates and the global ones.
list "apig_certificate" "gateway" {
  provider = apig

  config {
    instance_id = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"
  }
}

# Only the global certificates for api.example.com, at most 10 of them.
list "apig_certificate" "api" {
  provider = apig
  limit    = 10

  config {
    instance_id = "5b0ec7d6a1e34f0aa3c9e1f2d4b6a8c0"
    type        = "global"
    common_name = "api.example.com"
  }
}
