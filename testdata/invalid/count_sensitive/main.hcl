variable "tokens" {
  type      = list(string)
  default   = ["first-token", "second-token"]
  sensitive = true
}

script "s" {
  count = length(var.tokens)
  start = "echo start"
  stop  = "echo stop"
}
