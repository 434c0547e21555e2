# How the tool reaches the machines of this example. `cluster lab up` writes a lab.vars.hcl that
# overrides these four variables (docs/design.md, "Lab registry"), so the example runs unchanged
# against the lab, on POSIX or Windows lab nodes alike: every lab host entry names its shell
# ("posix", or "cmd" and the code_page of a Windows node). The defaults below are the production
# values; a host without a shell takes its node's default (docs/language.md, "ssh"): cmd on a
# Windows cluster, posix on Linux and on a Server-Scan host.

variable "hosts" {
  type        = map(object({ address = string, port = number, shell = optional(string), code_page = optional(number) }))
  description = "Management (SSH) address and port of every cluster server, by node name; optionally how it runs commands (shell: posix, cmd or powershell) and its console code page (docs/language.md)."
  default = {
    sv1 = { address = "10.10.9.11", port = 22 }
    sv2 = { address = "10.10.9.12", port = 22 }
    sv3 = { address = "10.10.9.13", port = 22 }
    sv4 = { address = "10.10.9.14", port = 22 }
  }
  validation {
    condition     = length([for n in ["sv1", "sv2", "sv3", "sv4"] : n if !contains(keys(var.hosts), n)]) == 0
    error_message = "var.hosts needs an entry for every node of this example: sv1, sv2, sv3, sv4."
  }
}

variable "ssh_user" {
  type        = string
  default     = "root"
  description = "Login user on every node."
}

variable "identity_file" {
  type        = string
  default     = "~/.ssh/id_ed25519"
  description = "Private key used to log in."
}

variable "known_hosts_file" {
  type        = string
  default     = "~/.ssh/known_hosts"
  description = "Host keys of the nodes; an unknown or changed key is refused."
}

ssh {
  user             = var.ssh_user
  identity_files   = [var.identity_file]
  known_hosts_file = var.known_hosts_file
}
