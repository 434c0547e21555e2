// Package funcs is the function table of the configuration language: the cty standard library
// under Terraform's names, the type conversions (tostring, tonumber, ...) and the two functions
// that read files, file and templatefile, whose paths are relative to the configuration
// directory.
//
// The table is built per configuration directory by Table; it holds no global state, so two
// configurations can be loaded at the same time.
package funcs
