# How the tool reaches the machines of this example. `cluster lab up` writes a lab.vars.hcl that
# overrides these four variables (docs/design.md, "Lab registry"), so the example runs unchanged
# against the lab (a Windows lab node's host entry says shell = "cmd"); the defaults below are the
# production values: Windows Server with Microsoft's OpenSSH, whose default shell is cmd.exe
# (docs/windows.md). A host entry without a shell is taken as "cmd" (servergroup.hcl).

variable "hosts" {
  type        = map(object({ address = string, port = number, shell = optional(string), code_page = optional(number) }))
  description = "Management (SSH) address and port of every web server, by node name; optionally how it runs commands (shell: cmd, powershell, or posix for an MSYS/Cygwin DefaultShell) and its console code page (docs/language.md)."
  default = {
    web1 = { address = "10.0.0.51", port = 22, shell = "cmd", code_page = 932 }
    web2 = { address = "10.0.0.52", port = 22, shell = "cmd", code_page = 932 }
    web3 = { address = "10.0.0.53", port = 22, shell = "cmd", code_page = 932 }
    web4 = { address = "10.0.0.54", port = 22, shell = "cmd", code_page = 932 }
  }
  validation {
    condition     = length([for n in ["web1", "web2", "web3", "web4"] : n if !contains(keys(var.hosts), n)]) == 0
    error_message = "var.hosts needs an entry for every node of this example: web1, web2, web3, web4."
  }
}

variable "ssh_user" {
  type        = string
  default     = "Administrator"
  description = "Login user on every node (an administrator: docs/windows.md)."
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
