# A module sees only what it declares: cluster.web is the caller's.
group "app" {
  cluster = cluster.web
  policy  = [cluster.web.node.sv1]
}
