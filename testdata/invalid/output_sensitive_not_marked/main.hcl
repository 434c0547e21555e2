variable "password" {
  type      = string
  default   = "secret"
  sensitive = true
}

output "password" {
  value = var.password
}
