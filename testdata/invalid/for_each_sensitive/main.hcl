variable "passwords" {
  type      = map(string)
  default   = { a = "x" }
  sensitive = true
}

script "s" {
  for_each = var.passwords
  start    = "echo start"
  stop     = "echo stop"
}
