# How the tool reaches the machines of this example. `cluster lab up` writes a lab.vars.hcl that
# overrides these four variables (docs/design.md, "Lab registry"), so the example runs unchanged
# against the lab: on a Windows lab node (`cluster lab up --windows objsv`) the host entry says
# shell = "cmd" and its code page; a POSIX lab node's entry says neither, and the node is then
# reached with the default shell. The defaults below are the production values: the object
# server runs on Windows (seed 003: status files on NTFS), reached with Microsoft's OpenSSH and
# cmd.exe, on a Japanese Windows (console code page 932).

variable "hosts" {
  type        = map(object({ address = string, port = number, shell = optional(string), code_page = optional(number) }))
  description = "Management (SSH) address and port of the object server; optionally how it runs commands (shell: posix, cmd or powershell) and its console code page (docs/language.md)."
  default = {
    objsv = { address = "10.0.0.30", port = 22, shell = "cmd", code_page = 932 }
  }
  validation {
    condition     = length([for n in ["objsv"] : n if !contains(keys(var.hosts), n)]) == 0
    error_message = "var.hosts needs an entry for every node of this example: objsv."
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
