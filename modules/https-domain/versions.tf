terraform {
  # Write-only arguments (private_key_wo) and ephemeral input variables need Terraform 1.11.
  required_version = ">= 1.11"

  required_providers {
    apig = {
      source  = "hwapig/apig"
      version = ">= 0.1.0"
    }
  }
}
