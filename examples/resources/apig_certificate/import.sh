# A certificate is imported by its ID (32 hexadecimal characters), on the provider's service:
terraform import apig_certificate.api a27be832f2e9441c8127fe48e3b5ac67

# Prefix the ID with the service to import from the other one (roma/ or apig/):
terraform import apig_certificate.api roma/a27be832f2e9441c8127fe48e3b5ac67
