module "branch" {
  source = "./modules/branch"
  name   = "Osaka"
}
