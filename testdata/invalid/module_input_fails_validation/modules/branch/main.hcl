variable "name" {
  type = string
  validation {
    condition     = lower(var.name) == var.name
    error_message = "A branch name is lower case."
  }
}
