# A nested module: it only computes a name.
variable "site" {
  type = string
}

output "name" {
  value = "branch-${var.site}"
}
