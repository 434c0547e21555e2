cluster "empty" {
}
