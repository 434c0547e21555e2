cluster "web" {
  platform = "solaris"
  node "sv1" {
    address = "10.0.0.11"
  }
}
