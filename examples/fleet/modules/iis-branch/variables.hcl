# The inputs of one branch.

variable "name" {
  type        = string
  description = "The branch: the cluster's name in clp.conf."
  validation {
    condition     = length(regexall("^[a-z][a-z0-9-]*$", var.name)) == 1
    error_message = "A branch name is lower-case letters, digits and dashes, starting with a letter."
  }
}

variable "servers" {
  type        = map(object({ address = string, port = number, shell = optional(string), code_page = optional(number) }))
  description = "The branch's two servers by name (their host names): the first in name order is active."
  validation {
    condition     = length(var.servers) == 2
    error_message = "A branch cluster has exactly two servers."
  }
}

variable "vip" {
  type        = string
  description = "The virtual IP the branch's clients use."
}

variable "interconnect" {
  type        = string
  description = "The first three octets of the branch's interconnect LAN, e.g. 192.168.10."
}
