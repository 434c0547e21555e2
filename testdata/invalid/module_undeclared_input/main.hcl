module "branch" {
  source = "./modules/branch"
  nmae   = "osaka"
}
