// Package format implements `cluster fmt`: the canonical layout of configuration files
// (hclwrite.Format), the list of files a set of paths names, unified diffs of the changes and
// atomic rewrites. A file with syntax errors is never rewritten.
package format
