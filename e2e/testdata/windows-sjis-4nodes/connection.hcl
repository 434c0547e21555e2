# How the tool reaches the four servers. The scenario passes a variable file (the lab's
# lab.vars.hcl, or the real-sshd nodes' own) whose every host says shell = "cmd": no default
# here, so a run without it fails at validate instead of talking POSIX to a Windows node.

variable "hosts" {
  type        = map(object({ address = string, port = number, shell = string, code_page = optional(number) }))
  description = "SSH address, port, shell (cmd on a stock Windows) and console code page of every server, by node name."
  validation {
    condition     = length([for n in ["sv1", "sv2", "sv3", "sv4"] : n if !contains(keys(var.hosts), n)]) == 0
    error_message = "var.hosts needs an entry for every server: sv1, sv2, sv3, sv4."
  }
}

variable "ssh_user" {
  type = string
}

variable "identity_file" {
  type = string
}

variable "known_hosts_file" {
  type = string
}

ssh {
  user             = var.ssh_user
  identity_files   = [var.identity_file]
  known_hosts_file = var.known_hosts_file
}
