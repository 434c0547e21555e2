output "x" {
  value = module.brnach.vip
}

module "branch" {
  source = "./m"
}
