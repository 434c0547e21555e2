module "branch" {
  source = "./modules/none"
}
