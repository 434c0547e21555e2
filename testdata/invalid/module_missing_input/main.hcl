module "branch" {
  source = "./modules/branch"
}
