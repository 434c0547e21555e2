module "branch" {
  source = "git::https://example.com/branch.git"
}
