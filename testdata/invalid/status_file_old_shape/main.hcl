node "mailsv" {
  address = "10.0.1.10"
}
node "objsv" {
  address = "10.0.1.30"
}

# The earlier shape: one status_file of several A/B pairs.
status_file "sts1" {
  node            = node.objsv
  a_files         = ["/data/a/sts1a1", "/data/a/sts1a2"]
  b_files         = ["/data/b/sts1b1", "/data/b/sts1b2"]
  initial_current = 1
}
